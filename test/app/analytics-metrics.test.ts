import { Client } from 'pg';
import { buildRuntime, loadBotDefinition } from '../../app/bootstrap';
import { loadConfig } from '../../app/config';
import type { ParleyRuntime } from '../../app/runtime';
import { computeReport, type AnalyticsReport } from '../../analytics/metrics';
import type { AnalyticsEvent } from '../../core/analytics';
import type { Agent } from '../../core/case';
import type { ChannelName } from '../../core/message';
import { createCaseService, type CaseService } from '../../handoff/case-service';
import { silentLogger } from '../../stores/silent-logger';
import { createTestDatabase, type TestDatabase } from '../support/postgres';

/**
 * Every metric of the README's "Analytics" section, end to end: hand-built conversations of the acme bot
 * (customers through the real runtime, agents through the case service the desk uses) on a moved clock,
 * and the figures worked out by hand from them. The same script runs on memory and on PostgreSQL.
 *
 * The script (D1 = Monday 2026-03-02, UTC; consent = the customer said yes to analytics):
 * - alice (consent), webchat, D1 09:00: hello; order A1001; order A1001 again (the slot already held it:
 *   repeated information before a handoff); thanks. Contained.
 * - bob (consent), webchat, 10:00: a complaint → case (retention); sam claims at +4 min, replies at +6,
 *   bob gives the agent an order number the package did not have (not a repetition); handed back at
 *   +16 (handled 12 min); bob is satisfied (1).
 * - carol (consent), webchat, 11:00: order A1003; asks for a person → case (general) whose package holds
 *   A1003; kim claims at +2, replies at +5, carol writes without repeating it; handed back at +10
 *   (handled 8 min); carol is not satisfied (0).
 * - dave (consent), webchat, 12:00: cancels → case (retention) nobody claims: abandoned.
 * - erin (no consent), webchat, 13:00: out of scope; order A1002. At 14:00, a new conversation: order
 *   A1002 again. Her events are anonymised per conversation: counted, but two strangers, no repeat.
 * - alice, 15:00, on SMS linked to her customer, a new conversation: order A1002 (a repeat within 24 h).
 * - frank (consent), webchat, D2 09:00: "yes" out of context (fallback); a complaint → case
 *   (retention); sam claims at +40 min (abandoned: after 30), replies at +42, closes at +50 (handled 10).
 * - alice, webchat, D1 + 3 days (03-05) 10:00, a new conversation: order A1003 (a repeat within 7 days, not 24 h).
 */
const MIN = 60_000;
const D1 = Date.UTC(2026, 2, 2);
const DAY = 24 * 60 * MIN;
const HOUR = 60 * MIN;
const PERIOD = { from: D1, to: D1 + 7 * DAY };
const SAM: Agent = { username: 'sam', name: 'Sam' };
const KIM: Agent = { username: 'kim', name: 'Kim' };
const ALICE_SMS = '+15550100';

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database?.drop();
});

/** Events the database holds: none on memory, every one the report read on PostgreSQL. */
async function storedRows(): Promise<number> {
  const client = new Client({ connectionString: database.url });
  await client.connect();
  try {
    const { rows } = await client.query<{ n: string }>('SELECT count(*) AS n FROM parley_analytics_events');
    return Number(rows[0]?.n);
  } finally {
    await client.end();
  }
}

const backends: [string, () => Record<string, string>][] = [
  ['memory', () => ({})],
  ['postgres', () => ({ DATABASE_URL: database.url })],
];

describe.each(backends)('metrics of hand-built acme conversations on %s', (_name, environment) => {
  let now = D1;
  const clock = { now: () => now };
  let runtime: ParleyRuntime;
  let cases: CaseService;
  let events: AnalyticsEvent[];
  let report: AnalyticsReport;
  let sequence = 0;
  const packageSlots: Record<string, unknown>[] = [];

  /** One customer message at `at`, in conversation `conversationId` (a new one starts a new visit). */
  async function say(
    at: number,
    who: { channel: ChannelName; userId: string; customerId: string },
    conversationId: string,
    text: string,
  ) {
    now = at;
    // The identity port keeps one active conversation per customer; a later visit begins a new one, as
    // the conversation runner does (dialogs/testing), so each visit is a conversation of its own.
    const known = await runtime.stores.identities.scope(who.customerId);
    if (known.conversationIds.length > 0 && !known.conversationIds.includes(conversationId))
      await runtime.stores.identities.beginConversation(who.customerId, conversationId);
    await runtime.handle({
      channel: who.channel,
      channelUserId: who.userId,
      conversationId,
      messageId: `m-${++sequence}`,
      kind: 'text',
      text,
      timestamp: at,
    });
  }
  const webchat = (name: string) => ({
    channel: 'webchat' as const,
    userId: name,
    customerId: `webchat:${name}`,
  });
  async function consents(customerId: string) {
    await runtime.stores.consent.record({
      customerId,
      purpose: 'analytics',
      granted: true,
      at: now,
      channel: 'webchat',
      wordingVersion: 'analytics.v1',
      source: 'conversation',
    });
  }
  async function queuedCaseOf(customerId: string) {
    const item = (await runtime.stores.cases.list({ status: 'queued' })).find(
      (c) => c.customerId === customerId,
    );
    if (!item) throw new Error(`no case was opened for ${customerId}`);
    packageSlots.push((await runtime.stores.cases.get(item.id))?.package.summary.slots ?? {});
    return item.id;
  }
  async function agent(at: number, act: () => Promise<unknown>) {
    now = at;
    await act();
  }

  beforeAll(async () => {
    const config = loadConfig({ LOG_LEVEL: 'silent', PARLEY_RELOAD: 'false', ...environment() });
    runtime = await buildRuntime(loadBotDefinition('acme'), config, { logger: silentLogger, clock });
    const analytics = runtime.analytics;
    if (!analytics) throw new Error('the runtime records no analytics');
    cases = createCaseService({
      stores: runtime.stores,
      delivery: runtime,
      clock,
      logger: silentLogger,
      analytics: analytics.recorder,
    });
    for (const name of ['alice', 'bob', 'carol', 'dave', 'frank']) await consents(`webchat:${name}`);

    const alice = webchat('alice');
    const at = D1 + 9 * HOUR;
    await say(at, alice, 'alice-1', 'hello');
    await say(at + MIN, alice, 'alice-1', 'where is my order A1001?');
    await say(at + 2 * MIN, alice, 'alice-1', 'where is my order A1001?');
    await say(at + 3 * MIN, alice, 'alice-1', 'thanks');

    const bob = webchat('bob');
    const b = D1 + 10 * HOUR;
    await say(b, bob, 'bob-1', 'this is ridiculous, I want to complain');
    const bobCase = await queuedCaseOf(bob.customerId);
    await agent(b + 4 * MIN, () => cases.claim(bobCase, SAM));
    await agent(b + 6 * MIN, () =>
      cases.message(bobCase, SAM, 'Hi, I am sorry to hear that. What happened?'),
    );
    await say(b + 7 * MIN, bob, 'bob-1', 'my order A1002 came broken');
    await agent(b + 16 * MIN, () => cases.resolve(bobCase, SAM, { handBack: true }));
    await say(b + 17 * MIN, bob, 'bob-1', 'yes');

    const carol = webchat('carol');
    const c = D1 + 11 * HOUR;
    await say(c, carol, 'carol-1', 'where is my order A1003?');
    await say(c + MIN, carol, 'carol-1', 'I want to talk to a human');
    const carolCase = await queuedCaseOf(carol.customerId);
    await agent(c + 3 * MIN, () => cases.claim(carolCase, KIM));
    await agent(c + 6 * MIN, () => cases.message(carolCase, KIM, 'Hi, I can see your order. Let me check.'));
    await say(c + 7 * MIN, carol, 'carol-1', 'it says delivered but nothing came');
    await agent(c + 11 * MIN, () => cases.resolve(carolCase, KIM, { handBack: true }));
    await say(c + 12 * MIN, carol, 'carol-1', 'no');

    await say(D1 + 12 * HOUR, webchat('dave'), 'dave-1', 'I want to cancel my service');

    const erin = webchat('erin');
    await say(D1 + 13 * HOUR, erin, 'erin-1', 'purple monkey dishwasher');
    await say(D1 + 13 * HOUR + MIN, erin, 'erin-1', 'where is my order A1002?');
    await say(D1 + 14 * HOUR, erin, 'erin-2', 'where is my order A1002?');

    await runtime.stores.identities.link({ channel: 'sms', userId: ALICE_SMS }, alice.customerId);
    const aliceSms = { channel: 'sms' as const, userId: ALICE_SMS, customerId: alice.customerId };
    await say(D1 + 15 * HOUR, aliceSms, 'alice-2', 'where is my order A1002?');

    const frank = webchat('frank');
    const f = D1 + DAY + 9 * HOUR;
    await say(f, frank, 'frank-1', 'yes');
    await say(f + MIN, frank, 'frank-1', 'I want to complain');
    const frankCase = await queuedCaseOf(frank.customerId);
    await agent(f + 41 * MIN, () => cases.claim(frankCase, SAM));
    await agent(f + 43 * MIN, () => cases.message(frankCase, SAM, 'Hi, sorry for the wait.'));
    await agent(f + 51 * MIN, () => cases.resolve(frankCase, SAM, { handBack: false }));

    await say(D1 + 3 * DAY + 10 * HOUR, alice, 'alice-3', 'where is my order A1003?');

    events = await analytics.store.read({ from: PERIOD.from - 7 * DAY, to: Number.MAX_SAFE_INTEGER });
    report = computeReport(events, PERIOD);
  }, 60_000);
  afterAll(async () => runtime?.close());

  // The memory run comes first: the database holds nothing yet.
  it('reads the events from the store the deployment would use', async () => {
    const inDatabase = await storedRows();
    if (environment()['DATABASE_URL']) expect(inDatabase).toBe(events.length);
    else expect(inDatabase).toBe(0);
    const tally: Record<string, number> = {};
    for (const e of events) tally[e.type] = (tally[e.type] ?? 0) + 1;
    // 17 turns the bot answered and 2 written to an agent; agents' actions counted by the case service.
    expect(tally).toEqual({
      'turn.completed': 19,
      'case.opened': 4,
      'case.claimed': 3,
      'agent.replied': 3,
      'case.resolved': 2,
      'case.closed': 1,
      satisfaction: 2,
      'info.repeated': 1,
    });
  });

  it('counts conversations, containment, escalations and their reasons', () => {
    expect(report.overall).toMatchObject({
      conversations: 9,
      contained: 5,
      escalations: 4,
      escalationReasons: {
        customer_request: 1,
        repeated_misunderstanding: 0,
        negative_sentiment: 0,
        complaint: 2,
        policy: 1,
        flow_decision: 0,
      },
    });
    expect(report.overall.containment).toBeCloseTo(5 / 9);
    expect(report.overall.escalationRate).toBeCloseTo(4 / 9);
  });

  it('counts fallbacks among the turns the bot answered', () => {
    // alice 4, bob 2, carol 3, dave 1, erin 2 + 1, alice on SMS 1, frank 2, alice again 1; not the turns
    // written to an agent. Not understood: erin's out-of-scope message and frank's "yes" out of context.
    expect(report.overall).toMatchObject({ botTurns: 17, fallbacks: 2, outOfScope: 1 });
    expect(report.overall.fallbackRate).toBeCloseTo(2 / 17);
  });

  it('finds repeat contacts across linked channels, within 24 hours and 7 days', () => {
    // Contacts: alice ×3 (order status), bob, carol, dave, erin's two conversations, frank.
    expect(report.overall).toMatchObject({ contacts: 9, repeatContacts24h: 1, repeatContacts7d: 2 });
    expect(report.overall.repeatRate24h).toBeCloseTo(1 / 9);
    expect(report.overall.repeatRate7d).toBeCloseTo(2 / 9);
    expect(report.byChannel['sms']).toMatchObject({
      conversations: 1,
      repeatContacts24h: 1,
      repeatContacts7d: 1,
    });
    expect(report.byDay['2026-03-05']).toMatchObject({ repeatContacts24h: 0, repeatContacts7d: 1 });
  });

  it("counts an unconsenting customer's conversations without linking them to her", () => {
    const erins = events.filter((e) => e.customerId.startsWith('anon:'));
    expect(erins.map((e) => [e.type, e.type === 'turn.completed' ? e.intent : undefined])).toEqual([
      ['turn.completed', 'out_of_scope'],
      ['turn.completed', 'order_status'],
      ['turn.completed', 'order_status'],
    ]);
    // One pseudonym per conversation: her second question about A1002 is nobody's repeat.
    expect(new Set(erins.map((e) => e.customerId)).size).toBe(2);
    expect(JSON.stringify(events)).not.toMatch(/erin/);
    const linked = new Set(events.filter((e) => !erins.includes(e)).map((e) => e.customerId));
    expect([...linked].sort()).toEqual([
      'webchat:alice',
      'webchat:bob',
      'webchat:carol',
      'webchat:dave',
      'webchat:frank',
    ]);
  });

  it('counts repeated information before a handoff, and none after it when the agent has the package', () => {
    // The package carol's agent got holds her order number, so she had no need to repeat it.
    expect(packageSlots).toContainEqual({ order_number: 'A1003' });
    expect(report.overall).toMatchObject({ repeatedInformation: 1, repeatedInformationAfterHandoff: 0 });
    expect(report.byDay['2026-03-02']).toMatchObject({ repeatedInformation: 1 });
  });

  it('averages satisfaction after hand-backs', () => {
    expect(report.overall).toMatchObject({ csatAnswers: 2, csat: 0.5 });
  });

  it('measures queue wait, first response and handle time, and abandonment', () => {
    expect(report.overall).toMatchObject({
      queueWait: { count: 3, mean: (4 * MIN + 2 * MIN + 40 * MIN) / 3, p50: 4 * MIN, p90: 40 * MIN },
      firstResponse: { count: 3, mean: (6 * MIN + 5 * MIN + 42 * MIN) / 3, p50: 6 * MIN, p90: 42 * MIN },
      handleTime: { count: 3, mean: 10 * MIN, p50: 10 * MIN, p90: 12 * MIN },
      abandoned: 2,
      abandonmentRate: 0.5,
    });
    // Complaints and cancellations share the retention queue: bob's, dave's and frank's cases.
    expect(report.byQueue['general']).toMatchObject({ escalations: 1, abandoned: 0, csat: 0 });
    expect(report.byQueue['retention']).toMatchObject({
      escalations: 3,
      abandoned: 2,
      abandonmentRate: 2 / 3,
      csat: 1,
    });
  });

  it('counts complaint and cancellation intents per day', () => {
    expect(report.overall).toMatchObject({ complaints: 2, cancellations: 1 });
    expect(Object.keys(report.byDay)).toEqual(['2026-03-02', '2026-03-03', '2026-03-05']);
    expect(report.byDay['2026-03-02']).toMatchObject({ conversations: 7, complaints: 1, cancellations: 1 });
    expect(report.byDay['2026-03-03']).toMatchObject({ conversations: 1, complaints: 1, cancellations: 0 });
    expect(report.byDay['2026-03-05']).toMatchObject({ conversations: 1, complaints: 0, cancellations: 0 });
  });
});
