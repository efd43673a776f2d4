import type { AnalyticsEvent, AnalyticsStore } from '../core/analytics';
import { createMemoryAnalytics } from '../stores/memory-analytics';
import { createMemoryStores } from '../stores/memory';
import { openPostgresAnalytics } from '../stores/postgres/analytics-store';
import { FakeClock } from '../test/support/fake-clock';
import { createTestDatabase, type TestDatabase } from '../test/support/postgres';
import { seedCustomer } from '../test/support/privacy-seed';
import { analyticsData } from './analytics';
import { customerRefFor } from './customer-ref';
import { createPrivacyService } from './privacy-service';

const DAY = 86_400_000;
const retention = { retentionMs: 30 * DAY, questionRetentionMs: 2 * DAY };

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database?.drop();
});

const backends: [string, (clock: FakeClock) => Promise<AnalyticsStore>][] = [
  ['memory', async (clock) => createMemoryAnalytics(retention, clock)],
  [
    'postgres',
    (clock) => openPostgresAnalytics({ databaseUrl: database.url, ...retention, clock, sweepIntervalMs: 0 }),
  ],
];

const turn = (at: number, customerId: string, conversationId: string): AnalyticsEvent => ({
  type: 'turn.completed',
  at,
  customerId,
  conversationId,
  channel: 'sms',
  locale: 'en',
  intent: 'greet',
  confidence: 0.9,
  fallback: false,
  outOfScope: false,
  escalated: false,
  toAgent: false,
  durationMs: 3,
});

describe.each(backends)('analytics customer data on %s', (name, open) => {
  let store: AnalyticsStore;
  const clock = new FakeClock(Date.UTC(2026, 5, 1));
  beforeAll(async () => {
    store = await open(clock);
  });
  afterAll(async () => store.close());

  it('lists, exports and erases exactly the customer’s events and questions, expired ones included in erasure', async () => {
    const stores = createMemoryStores({ retentionMs: 90 * DAY, clock });
    const seeded = await seedCustomer(stores, 2);
    const [first, second] = seeded.conversations as [string, string];
    // Written 31 days ago: past retention, hidden from reads, not yet swept.
    await store.record([turn(clock.now() - 31 * DAY, seeded.customerId, first)]);
    clock.advance(31 * DAY);
    await store.record([
      turn(clock.now() - 10, seeded.customerId, first),
      // An event that names only the conversation (a case event from another process) is still theirs.
      turn(clock.now() - 5, 'anon:x', second),
      turn(clock.now() - 1, 'someone-else', 'other-conversation'),
    ]);
    await store.recordQuestion({
      at: clock.now() - 2,
      conversationId: second,
      channel: 'sms',
      locale: 'en',
      kind: 'fallback',
      intent: 'out_of_scope',
      text: 'can you fix my bike',
    });
    const privacy = createPrivacyService({
      stores,
      clock,
      customerRef: customerRefFor('k'),
      extra: { analytics: analyticsData(store) },
    });
    const request = { actor: { kind: 'system' as const, id: 'test' } };
    const data = await privacy.exportCustomer(seeded.customerId, request);
    expect(data.analytics).toEqual([
      expect.objectContaining({ customerId: seeded.customerId, conversationId: first }),
      expect.objectContaining({ customerId: 'anon:x', conversationId: second }),
      { unansweredQuestion: expect.objectContaining({ text: 'can you fix my bike' }) },
    ]);
    const report = await privacy.eraseCustomer(seeded.customerId, request);
    // Memory drops expired events on its next write; PostgreSQL keeps them until the sweep, and erasure takes them.
    expect(report.erased['analytics']).toBe(name === 'memory' ? 3 : 4);
    expect(report.notErased).toEqual([]);
    expect(await store.listByCustomer(report.scope)).toEqual([]);
    const left = await store.read({ from: 0, to: Number.MAX_SAFE_INTEGER });
    expect(left.map((e) => e.customerId)).toEqual(['someone-else']);
    expect(await store.readQuestions({ from: 0, to: Number.MAX_SAFE_INTEGER })).toEqual([]);
  });
});
