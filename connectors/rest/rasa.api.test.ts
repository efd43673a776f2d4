// Rasa's HTTP API on a running acme bot: real routes, pipeline, transcript and state (memory store).
import { startParley, type RunningParley } from '../../app/bootstrap';
import { loadConfig } from '../../app/config';
import { bot as acme } from '../../bots/acme';
import { silentLogger } from '../../stores/silent-logger';

const TOKEN = 'a-long-shared-rest-token-for-rasa';
const auth = { authorization: `Bearer ${TOKEN}` };

interface Tracker {
  sender_id: string;
  slots: Record<string, unknown>;
  latest_message: { text?: string; intent?: { name: string; confidence: number } };
  paused: boolean;
  events: Array<{
    event: string;
    text?: string;
    name?: string;
    value?: unknown;
    flow_id?: string;
    parse_data?: { intent: { name: string } };
  }>;
  latest_input_channel: string | null;
  latest_action_name: string | null;
  active_loop: { name?: string };
}

describe('Rasa HTTP API', () => {
  let parley: RunningParley;
  let base: string;

  beforeAll(async () => {
    const config = loadConfig({
      PORT: '0',
      LOG_LEVEL: 'silent',
      PARLEY_RELOAD: 'false',
      PARLEY_REST_TOKEN: TOKEN,
    });
    parley = await startParley(acme, config, { logger: silentLogger });
    base = parley.address.url;
  });
  afterAll(() => parley.close());

  const say = async (sender: string, message: string): Promise<void> => {
    const response = await fetch(`${base}/webhooks/rest/webhook`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...auth },
      body: JSON.stringify({ sender, message }),
    });
    expect(response.status).toBe(200);
  };
  const tracker = async (sender: string): Promise<Tracker> => {
    const response = await fetch(`${base}/conversations/${encodeURIComponent(sender)}/tracker`, {
      headers: auth,
    });
    expect(response.status).toBe(200);
    return (await response.json()) as Tracker;
  };
  const trigger = (sender: string, body: unknown, headers: Record<string, string> = auth) =>
    fetch(`${base}/conversations/${sender}/trigger_intent`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify(body),
    });

  it('GET /version names Parley’s version; GET /status needs the token and names the bot', async () => {
    const version = await fetch(`${base}/version`);
    expect(version.status).toBe(200);
    expect(await version.json()).toEqual({
      version: '0.1.0',
      minimum_compatible_version: '0.1.0',
      server: 'parley',
    });
    expect((await fetch(`${base}/status`)).status).toBe(401);
    const status = await fetch(`${base}/status?token=${TOKEN}`);
    expect(status.status).toBe(200);
    expect(await status.json()).toMatchObject({ model_id: 'acme', num_active_training_jobs: 0 });
  });

  it('builds the tracker from the transcript: user and bot events, slots, flows, the latest message', async () => {
    await say('ana', 'where is my order?');
    await say('ana', 'A1001');
    const ana = await tracker('ana');
    expect(ana.sender_id).toBe('ana');
    expect(ana.latest_input_channel).toBe('rest');
    const kinds = ana.events.map((event) => event.event);
    expect(kinds.slice(0, 2)).toEqual(['user', 'flow_started']);
    expect(kinds.filter((kind) => kind === 'user')).toHaveLength(2);
    expect(kinds).toContain('bot');
    expect(kinds.indexOf('action')).toBeGreaterThan(kinds.indexOf('bot'));
    expect(ana.events[0]).toMatchObject({
      text: 'where is my order?',
      parse_data: { intent: { name: 'order_status' } },
    });
    expect(ana.events).toContainEqual(
      expect.objectContaining({ event: 'slot', name: 'order_number', value: 'A1001' }),
    );
    expect(ana.events).toContainEqual(
      expect.objectContaining({ event: 'flow_started', flow_id: 'order_status' }),
    );
    expect(ana.latest_message.text).toBe('A1001');
    expect(ana.latest_action_name).toBe('action_listen');
    expect(ana.paused).toBe(false);
  });

  it('honours include_events and until, as Rasa reads them', async () => {
    const get = (query: string) =>
      fetch(`${base}/conversations/ana/tracker?${query}`, { headers: auth }).then(async (response) => ({
        status: response.status,
        body: (await response.json()) as Tracker,
      }));
    const none = await get('include_events=NONE');
    expect(none.status).toBe(200);
    expect(none.body.events).toEqual([]);
    expect(none.body.slots).toMatchObject({ order_number: 'A1001' });
    const before = await get('until=0');
    expect(before.body.events).toEqual([]);
    expect((await get('include_events=ALL')).body.events.length).toBeGreaterThan(3);
    expect((await get('include_events=SOME')).status).toBe(400);
  });

  it('never shows a card number, and marks a handed-over conversation paused', async () => {
    await say('ben', 'my card is 4111 1111 1111 1111');
    await say('ben', 'I want to talk to a person');
    const ben = await tracker('ben');
    const text = JSON.stringify(ben);
    expect(text).not.toMatch(/4111[ -]?1111[ -]?1111[ -]?1111/);
    // The line is there, its number is not.
    expect(ben.events.find((event) => event.event === 'user')?.text).toMatch(/^my card is \S/);
    expect(ben.paused).toBe(true);
    expect(ben.events.map((event) => event.event)).toContain('pause');
  });

  it('POST trigger_intent runs the intent as if the NLU had found it; returns the tracker and the messages', async () => {
    const response = await trigger('cleo', { name: 'order_status', entities: { order_number: 'A1001' } });
    expect(response.status).toBe(200);
    const body = (await response.json()) as {
      tracker: Tracker;
      messages: Array<{ recipient_id: string; text: string }>;
    };
    expect(body.messages.length).toBeGreaterThan(0);
    expect(body.messages[0]?.recipient_id).toBe('cleo');
    expect(body.messages.map((message) => message.text).join(' ')).toContain('A1001');
    expect(body.tracker.latest_message.intent).toEqual({ name: 'order_status', confidence: 1 });
    expect(body.tracker.events).toContainEqual(
      expect.objectContaining({ event: 'slot', name: 'order_number', value: 'A1001' }),
    );
  });

  it('refuses bad requests and missing tokens with a reason', async () => {
    expect((await trigger('dan', { name: 'greet' }, {})).status).toBe(401);
    expect((await fetch(`${base}/conversations/dan/tracker`)).status).toBe(401);
    const badName = await trigger('dan', { name: 'not an intent!' });
    expect(badName.status).toBe(400);
    expect(await badName.json()).toMatchObject({
      error: 'invalid_request',
      detail: expect.stringMatching(/^name: /),
    });
    expect((await trigger('dan', { name: 'greet', entities: { nested: { deep: 1 } } })).status).toBe(400);
    expect((await trigger('dan', {})).status).toBe(400);
  });

  it('answers an empty tracker for a conversation it never had, as Rasa does', async () => {
    const nobody = await tracker('nobody-here');
    expect(nobody).toMatchObject({
      sender_id: 'nobody-here',
      events: [],
      slots: {},
      paused: false,
      latest_message: {},
    });
  });
});
