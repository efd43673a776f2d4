import type { AnalyticsEvent, AnalyticsStore } from '../core/analytics';
import { openAnalytics } from '../app/analytics';
import { silentLogger } from '../stores/silent-logger';
import { createMemoryAnalytics } from '../stores/memory-analytics';
import { openPostgresAnalytics } from '../stores/postgres/analytics-store';
import { FakeClock } from '../test/support/fake-clock';
import { createTestDatabase, type TestDatabase } from '../test/support/postgres';
import { handBuiltStream, PERIOD } from '../test/support/analytics-stream';
import { computeReport } from './metrics';

const MIN = 60_000;
const DAY = 24 * 60 * MIN;
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

describe.each(backends)('metrics on %s', (_name, open) => {
  let store: AnalyticsStore;
  const clock = new FakeClock(Date.UTC(2026, 2, 5));

  beforeAll(async () => {
    store = await open(clock);
    // Stored in a shuffled order: reads come back in time order whatever the write order.
    const events = handBuiltStream();
    await store.record(events.slice(10));
    await store.record(events.slice(0, 10));
  });
  afterAll(async () => store.close());

  async function report() {
    const events = await store.read({ from: PERIOD.from - 7 * DAY, to: Number.MAX_SAFE_INTEGER });
    return computeReport(events, PERIOD);
  }

  it('reads events back in time order, within the range asked', async () => {
    const inPeriod = await store.read(PERIOD);
    expect(inPeriod).toHaveLength(handBuiltStream().length - 1);
    expect(inPeriod.map((e) => e.at)).toEqual([...inPeriod.map((e) => e.at)].sort((x, y) => x - y));
    expect(inPeriod.some((e) => e.conversationId === 'Z')).toBe(false);
  });

  it('computes every overall figure of the hand-built stream', async () => {
    const { overall } = await report();
    expect(overall).toMatchObject({
      conversations: 5,
      contained: 2,
      containment: 0.4,
      escalations: 3,
      escalationRate: 0.6,
      escalationReasons: { complaint: 1, policy: 1, customer_request: 1, negative_sentiment: 0 },
      botTurns: 11,
      fallbacks: 2,
      outOfScope: 1,
      contacts: 7,
      repeatContacts24h: 1,
      repeatContacts7d: 3,
      repeatedInformation: 1,
      repeatedInformationAfterHandoff: 1,
      csatAnswers: 1,
      csat: 1,
      queueWait: { count: 2, mean: 3.5 * MIN, p50: 2 * MIN, p90: 5 * MIN },
      firstResponse: { count: 2, mean: 5 * MIN, p50: 4 * MIN, p90: 6 * MIN },
      handleTime: { count: 2, mean: 10.5 * MIN, p50: 10 * MIN, p90: 11 * MIN },
      abandoned: 1,
      complaints: 2,
      cancellations: 1,
    });
    expect(overall.fallbackRate).toBeCloseTo(2 / 11);
    expect(overall.repeatRate24h).toBeCloseTo(1 / 7);
    expect(overall.repeatRate7d).toBeCloseTo(3 / 7);
    expect(overall.abandonmentRate).toBeCloseTo(1 / 3);
  });

  it('slices by day, channel, locale, intent and queue', async () => {
    const r = await report();
    expect(Object.keys(r.byDay)).toEqual(['2026-03-02', '2026-03-03']);
    expect(r.byDay['2026-03-02']).toMatchObject({
      conversations: 3,
      contained: 1,
      complaints: 1,
      cancellations: 1,
    });
    expect(r.byDay['2026-03-03']).toMatchObject({
      conversations: 2,
      contained: 1,
      complaints: 1,
      repeatContacts7d: 2,
    });
    expect(r.byChannel['webchat']).toMatchObject({ conversations: 2, escalations: 1 });
    expect(r.byChannel['sms']).toMatchObject({ conversations: 2, csat: 1, repeatContacts7d: 1 });
    expect(r.byChannel['whatsapp']).toMatchObject({ conversations: 1, repeatContacts24h: 1, abandoned: 1 });
    expect(r.byLocale['es']).toMatchObject({ conversations: 1, fallbacks: 1, repeatedInformation: 1 });
    expect(r.byLocale['en']).toMatchObject({ conversations: 4, contained: 2 });
    expect(r.byIntent['order_status']).toMatchObject({ conversations: 4, contained: 1 });
    expect(r.byIntent['complaint']).toMatchObject({ conversations: 1, contained: 1 });
    expect(r.byQueue['general']).toMatchObject({ escalations: 2, abandoned: 0, queueWait: { count: 2 } });
    expect(r.byQueue['retention']).toMatchObject({ escalations: 1, abandoned: 1, abandonmentRate: 1 });
  });

  it('keeps unanswered questions apart, for their own shorter retention', async () => {
    const question = {
      at: clock.now(),
      conversationId: 'B',
      channel: 'sms',
      locale: 'en',
      kind: 'out_of_scope' as const,
      intent: 'out_of_scope',
      text: 'do you sell bicycles',
    };
    await store.recordQuestion(question);
    const all = { from: 0, to: Number.MAX_SAFE_INTEGER };
    expect(await store.readQuestions(all)).toEqual([question]);
    clock.advance(3 * DAY);
    expect(await store.readQuestions(all)).toEqual([]);
    expect(await store.read(PERIOD)).toHaveLength(handBuiltStream().length - 1);
    clock.advance(30 * DAY);
    expect(await store.read(PERIOD)).toEqual([]);
  });
});

describe('the analytics store a deployment opens', () => {
  it('is PostgreSQL with DATABASE_URL, keeping events across processes', async () => {
    const config = {
      database: { url: database.url },
      retentionMs: 30 * DAY,
      analytics: { questionRetentionMs: DAY },
    };
    const first = await openAnalytics(config, { logger: silentLogger });
    const event = handBuiltStream()[1] as AnalyticsEvent;
    await first.recorder.emit(event);
    await first.store.close();
    const second = await openAnalytics(config, { logger: silentLogger });
    const range = { from: event.at, to: event.at + 1 };
    expect(await second.store.read(range)).toContainEqual(event);
    await second.store.close();
    const memory = await openAnalytics({ ...config, database: undefined }, { logger: silentLogger });
    expect(await memory.store.read(range)).toEqual([]);
  });
});
