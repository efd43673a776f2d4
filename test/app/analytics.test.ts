import { loadBotDefinition, startParley, type RunningParley } from '../../app/bootstrap';
import { loadConfig } from '../../app/config';
import type { AnalyticsEvent } from '../../core/analytics';
import type { Message } from '../../core/message';
import { computeReport } from '../../analytics/metrics';
import { silentLogger } from '../../stores/silent-logger';

const TOKEN = 'metrics-token-0123456789';
let parley: RunningParley;
let sequence = 0;

const message = (text: string): Message => ({
  channel: 'webchat',
  channelUserId: 'cust-analytics',
  conversationId: 'conv-analytics',
  messageId: `m-${++sequence}`,
  kind: 'text',
  text,
  timestamp: Date.now(),
});

beforeAll(async () => {
  const config = loadConfig({
    PARLEY_DEMO_AGENT: 'sam:demo-password-123',
    PORT: '0',
    LOG_LEVEL: 'silent',
    PARLEY_RELOAD: 'false',
    PARLEY_METRICS_TOKEN: TOKEN,
  });
  parley = await startParley(loadBotDefinition('acme'), config, { logger: silentLogger });
}, 60_000);
afterAll(async () => parley?.close());

describe('analytics of the acme bot, end to end', () => {
  it('emits typed events for turns, the case and the agent, and serves /metrics behind its token', async () => {
    const { runtime } = parley;
    const analytics = runtime.analytics;
    if (!analytics) throw new Error('the runtime records no analytics');
    // The agent works through the desk's API: the desk's case service counts claims, replies and hand-backs.
    const desk = async (path: string, body: object, token?: string) => {
      const response = await fetch(`${parley.address.url}${path}`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...(token ? { authorization: `Bearer ${token}` } : {}),
        },
        body: JSON.stringify(body),
      });
      expect(response.ok).toBe(true);
      return (await response.json()) as { token?: string };
    };
    const { token } = await desk('/api/agent/login', { username: 'sam', password: 'demo-password-123' });
    const started = Date.now();

    await runtime.handle(message('hello'));
    await runtime.handle(message('purple monkey dishwasher'));
    await runtime.handle(message('I want to talk to a human'));
    const [item] = await runtime.stores.cases.list({ status: 'queued' });
    if (!item) throw new Error('no case was opened');
    await desk(`/api/cases/${item.id}/claim`, {}, token);
    await desk(
      `/api/cases/${item.id}/messages`,
      { text: 'Hi, I can see your conversation. How can I help?' },
      token,
    );
    await runtime.handle(message('my parcel never arrived'));
    await desk(`/api/cases/${item.id}/resolve`, { handBack: true }, token);
    await runtime.handle(message('yes'));

    const events = await analytics.store.read({ from: started - 1000, to: Date.now() + 1000 });
    const types = events.map((e) => e.type);
    expect(types).toEqual([
      'turn.completed',
      'turn.completed',
      'turn.completed',
      'case.opened',
      'case.claimed',
      'agent.replied',
      'turn.completed',
      'case.resolved',
      'turn.completed',
      'satisfaction',
    ]);
    const turns = events.filter(
      (e): e is Extract<AnalyticsEvent, { type: 'turn.completed' }> => e.type === 'turn.completed',
    );
    expect(turns.map((t) => [t.intent, t.outOfScope, t.escalated, t.toAgent])).toEqual([
      ['greet', false, false, false],
      ['out_of_scope', true, false, false],
      ['human_agent', false, true, false],
      [undefined, false, false, true],
      ['affirm', false, false, false],
    ]);
    expect(events.find((e) => e.type === 'case.opened')).toMatchObject({
      queue: item.queue,
      reason: 'customer_request',
    });
    // Events carry names and numbers, never what anyone wrote.
    expect(JSON.stringify(events)).not.toMatch(/purple|parcel|How can I help/);
    // This customer never consented to analytics: every event is anonymised (no customer, conversation or
    // case id; one pseudonym per conversation) and the text of the unanswered message is not kept.
    const pseudonyms = new Set(events.flatMap((e) => [e.customerId, e.conversationId]));
    expect([...pseudonyms]).toEqual([expect.stringMatching(/^anon:[\w-]{22}$/)]);
    expect(JSON.stringify(events)).not.toMatch(/cust-analytics|conv-analytics/);
    expect(JSON.stringify(events)).not.toContain(item.id);
    const questions = await analytics.store.readQuestions({ from: started - 1000, to: Date.now() + 1000 });
    expect(questions).toEqual([]);

    const { overall } = computeReport(events, { from: started - 1000, to: Date.now() + 1000 });
    expect(overall).toMatchObject({
      conversations: 1,
      contained: 0,
      escalations: 1,
      csatAnswers: 1,
      csat: 1,
      repeatedInformationAfterHandoff: 0,
      queueWait: { count: 1 },
      firstResponse: { count: 1 },
      handleTime: { count: 1 },
    });

    const url = `${parley.address.url}/metrics`;
    expect((await fetch(url)).status).toBe(401);
    expect((await fetch(url, { headers: { authorization: 'Bearer wrong-token-0123456789' } })).status).toBe(
      401,
    );
    const scraped = await fetch(url, { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(scraped.status).toBe(200);
    expect(scraped.headers.get('content-type')).toMatch(/^text\/plain/);
    const text = await scraped.text();
    expect(text).toMatch(/^parley_turn_duration_seconds_count\{channel="webchat",input="message"\} 5$/m);
    expect(text).toMatch(/^parley_turn_duration_seconds_count\{channel="webchat",input="handback"\} 1$/m);
    expect(text).toMatch(/^parley_nlu_duration_seconds_count 4$/m);
    expect(text).toMatch(/^parley_cases\{status="resolved"\} 1$/m);
    expect(text).toMatch(/^parley_cases\{status="queued"\} 0$/m);
    expect(text).toMatch(
      /^parley_http_request_duration_seconds_count\{method="GET",route="\/metrics",status="401"\} 2$/m,
    );
    expect(text).toMatch(/^# TYPE parley_connector_errors_total counter$/m);
  }, 60_000);

  it("keeps a consenting customer's events linked to them, and their unanswered question's text", async () => {
    const { runtime } = parley;
    const analytics = runtime.analytics;
    if (!analytics) throw new Error('the runtime records no analytics');
    const started = Date.now();
    const from = (text: string): Message => ({
      ...message(text),
      channelUserId: 'cust-consenting',
      conversationId: 'conv-consenting',
    });
    await runtime.handle(from('you can use my data for analytics'));
    await runtime.handle(from('purple monkey dishwasher'));
    const range = { from: started - 1000, to: Date.now() + 1000 };
    const events = (await analytics.store.read(range)).filter((e) => !e.customerId.startsWith('anon:'));
    expect(events.map((e) => [e.type, e.conversationId])).toEqual([
      ['turn.completed', 'conv-consenting'],
      ['turn.completed', 'conv-consenting'],
    ]);
    const questions = await analytics.store.readQuestions(range);
    expect(questions.map((q) => [q.conversationId, q.text])).toEqual([
      ['conv-consenting', 'purple monkey dishwasher'],
    ]);
    // Withdrawn in conversation: from the next turn on, anonymised again.
    const seen = (await analytics.store.read(range)).length;
    await runtime.handle(from('stop using my data for analytics'));
    const after = (await analytics.store.read({ ...range, to: Date.now() + 1000 })).slice(seen);
    expect(after.map((e) => e.customerId)).toEqual([expect.stringMatching(/^anon:/)]);
  });
});
