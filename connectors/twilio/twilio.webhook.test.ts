import { startHarness, LONG_TEXT, type Harness } from '../../test/support/twilio-harness';
import { StoreUnavailableError } from '../../core/store-unavailable';
import { twilioSignature } from './twilio.signature';
import {
  messageSid,
  OUR_NUMBER,
  postSigned,
  TEST_AUTH_TOKEN,
  twimlMessages,
} from '../../test/support/twilio';
import { eventually } from '../../test/contracts/connector.contract';
import { createRedisStores } from '../../stores/redis';
import { flushAllKeys, readAllKeys } from '../../stores/redis/inspect';
import { startRedisServer, type RedisServer } from '../../test/support/redis-server';

const ALICE = '+15550001111';

describe('Twilio webhook (SMS and WhatsApp)', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness();
  });
  afterEach(async () => {
    await h.close();
  });

  const sms = (body: string, extra: Record<string, string> = {}) => ({
    MessageSid: messageSid(),
    AccountSid: 'AC00000000000000000000000000000000',
    From: ALICE,
    To: OUR_NUMBER,
    Body: body,
    NumMedia: '0',
    ...extra,
  });

  async function say(body: string, extra: Record<string, string> = {}): Promise<string[]> {
    const response = await postSigned(h.webhook, sms(body, extra));
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/xml/);
    return twimlMessages(await response.text());
  }

  const transcript = (conversationId = `sms:${ALICE}`) => h.stores.transcripts.read(conversationId);

  it('answers a signed SMS with TwiML and records the turn on the sms channel', async () => {
    const params = sms('where is <my> order & "stuff"?');
    const response = await postSigned(h.webhook, params);
    const xml = await response.text();
    expect(xml).toBe(
      '<?xml version="1.0" encoding="UTF-8"?><Response><Message>You said: where is &lt;my&gt; order &amp; &quot;stuff&quot;?</Message></Response>',
    );
    const lines = await transcript();
    expect(lines.map((l) => [l.speaker, l.channel, l.text])).toEqual([
      ['customer', 'sms', 'where is <my> order & "stuff"?'],
      ['bot', 'sms', 'You said: where is <my> order & "stuff"?'],
    ]);
    expect(lines[0]?.messageId).toBe(params.MessageSid);
  });

  it('answers 503 with Retry-After when a store is down, and the same MessageSid goes through once it is back', async () => {
    const params = sms('hello while down');
    const { get } = h.stores.conversations;
    h.stores.conversations.get = async () => {
      throw new StoreUnavailableError('redis', new Error('Command timed out'));
    };
    const refused = await postSigned(h.webhook, params);
    expect(refused.status).toBe(503);
    expect(refused.headers.get('retry-after')).toBe('2');
    h.stores.conversations.get = get;
    const retried = await postSigned(h.webhook, params);
    expect(retried.status).toBe(200);
    expect(twimlMessages(await retried.text())).toEqual(['You said: hello while down']);
  });

  it('puts a whatsapp: sender on the whatsapp channel', async () => {
    expect(await say('hi', { From: `whatsapp:${ALICE}`, To: `whatsapp:${OUR_NUMBER}` })).toEqual([
      'You said: hi',
    ]);
    const lines = await transcript(`whatsapp:${ALICE}`);
    expect(lines.map((l) => l.channel)).toEqual(['whatsapp', 'whatsapp']);
    expect(await transcript()).toEqual([]);
  });

  it.each([
    ['no signature', { signature: null }],
    ['a signature made with another token', { token: 'another-auth-token-0123456789' }],
    ['a signature over another URL', { signUrl: 'https://evil.example/webhooks/twilio/messages' }],
    ['a signature of the wrong length', { signature: 'AAAA' }],
  ] as const)('refuses %s with 403 and no side effect', async (_label, options) => {
    const response = await postSigned(h.webhook, sms('human'), options);
    expect(response.status).toBe(403);
    await expectNothingStored();
  });

  it('refuses a request whose parameters were changed after signing', async () => {
    const params = sms('hello');
    const signature = twilioSignature(TEST_AUTH_TOKEN, h.webhook, Object.entries(params));
    const response = await postSigned(h.webhook, { ...params, Body: 'human' }, { signature });
    expect(response.status).toBe(403);
    await expectNothingStored();
  });

  async function expectNothingStored(): Promise<void> {
    expect(h.steps).toEqual([]);
    expect(await transcript()).toEqual([]);
    expect(await h.stores.conversations.get(`sms:${ALICE}`)).toBeUndefined();
    expect(await h.stores.cases.list()).toEqual([]);
    expect(await h.stores.keyValue.get(`twilio:conversation:sms:${ALICE}`)).toBeUndefined();
    expect(h.api.calls).toEqual([]);
  }

  it('answers 400 to a signed request that is not a message', async () => {
    const response = await postSigned(h.webhook, { From: ALICE, Body: 'no sid' });
    expect(response.status).toBe(400);
    expect(h.steps).toEqual([]);
  });

  it("answers Twilio's retry of a MessageSid from the record, without a second turn", async () => {
    const params = sms('hello');
    const first = await (await postSigned(h.webhook, params)).text();
    const again = await (await postSigned(h.webhook, params)).text();
    expect(again).toBe(first);
    expect(h.steps).toEqual(['hello']);
    expect(await transcript()).toHaveLength(2);
  });

  it('numbers buttons and maps "2" or the option words back, on any server process', async () => {
    expect(await say('menu')).toEqual(['What can I do?\n1. Track my order\n2. Opening hours']);
    // The options live in the shared store: another process's connector maps the answer.
    const other = await h.secondServer();
    const response = await postSigned(`${other}/webhooks/twilio/messages`, sms('2'));
    expect(twimlMessages(await response.text())).toEqual(['We are open 9 to 5.']);
    const lines = await transcript();
    expect(lines.at(-2)).toMatchObject({
      speaker: 'customer',
      text: '/opening_hours',
      data: { label: 'Opening hours' },
    });
    // The last reply offered nothing: "2" is plain text again.
    expect(await say('2')).toEqual(['You said: 2']);
    await say('menu');
    expect(await say('track my order!')).toEqual(['Order status it is.']);
  });

  it('splits a long reply at sentence ends under 1,600 characters, and prefers the short form', async () => {
    const parts = await say('long');
    expect(parts.length).toBeGreaterThan(1);
    for (const part of parts) {
      expect(part.length).toBeLessThanOrEqual(1600);
      expect(part).toMatch(/\.$/);
    }
    expect(parts.join(' ')).toBe(LONG_TEXT);
    expect(await say('brief')).toEqual(['Your order ships Monday.']);
  });

  it('honours STOP, START and HELP: an opted-out number gets nothing, in turn or out of turn', async () => {
    await say('hello');
    expect(await say('Stop')).toEqual([]);
    const afterStop = await transcript();
    expect(afterStop.at(-1)).toMatchObject({ event: 'twilio.opted_out', channel: 'sms' });
    expect(await h.stores.keyValue.get(`twilio:opt-out:sms:${ALICE}`)).toBeDefined();

    expect(await say('hello again')).toEqual([]);
    expect(await say('help')).toEqual([]);
    expect(h.steps).toEqual(['hello']);
    // An agent's message waits: the connector does not send to an opted-out number.
    await h.runtime.deliver(`sms:${ALICE}`, { from: 'agent', agentName: 'Sam', text: 'Sam here.' });
    expect(h.api.calls).toEqual([]);

    // START lets messages through again; what waited arrives with the answer.
    expect(await say('START')).toEqual(['Sam here.']);
    expect((await transcript()).some((line) => line.event === 'twilio.opted_in')).toBe(true);
    expect(await h.stores.keyValue.get(`twilio:opt-out:sms:${ALICE}`)).toBeUndefined();
    expect(await say('hello')).toEqual(['You said: hello']);
    const help = await say('HELP');
    expect(help).toHaveLength(1);
    expect(help[0]).toMatch(/STOP/);
  });

  it('acknowledges media without downloading it and notes it in the transcript', async () => {
    const extra = {
      NumMedia: '1',
      MediaUrl0: 'https://api.twilio.com/media/1',
      MediaContentType0: 'image/jpeg',
    };
    const texts = await say('', extra);
    expect(texts).toEqual([expect.stringMatching(/can't open pictures/)]);
    expect((await transcript()).map((line) => line.event)).toEqual(['twilio.media']);
    expect(h.steps).toEqual([]);
    const both = await say('my parcel is damaged', { ...extra, MediaUrl0: 'https://api.twilio.com/media/2' });
    expect(both).toEqual([expect.stringMatching(/can't open pictures/), 'You said: my parcel is damaged']);
  });

  it("delivers an agent's reply through the Messages API from the configured number", async () => {
    await say('human');
    const [item] = await h.stores.cases.list();
    expect(item).toBeDefined();
    await h.runtime.deliver(`sms:${ALICE}`, {
      from: 'agent',
      agentName: 'Sam',
      text: 'Sam here, how can I help?',
    });
    expect(h.api.calls).toEqual([
      { to: ALICE, from: OUR_NUMBER, body: 'Sam here, how can I help?', status: 201 },
    ]);
  });

  it('retries a 429 with back-off and keeps what Twilio refused for the next message', async () => {
    await say('hello');
    h.api.failNext({ status: 429, code: 20429, retryAfter: '0' }, { status: 503 });
    await h.runtime.deliver(`sms:${ALICE}`, { from: 'agent', text: 'First.' });
    expect(h.api.calls.map((c) => [c.body, c.status])).toEqual([
      ['First.', 429],
      ['First.', 503],
      ['First.', 201],
    ]);
    h.api.failNext({ status: 400, code: 21211 });
    await h.runtime.deliver(`sms:${ALICE}`, { from: 'agent', text: 'Second.' });
    expect(h.api.calls).toHaveLength(4);
    // Refused for good: it waits in the conversation and goes out with the next answer.
    expect(await say('hello')).toEqual(['Second.', 'You said: hello']);
  });

  it('records an opt-out Twilio reports (error 21610) and stops sending', async () => {
    await say('hello');
    h.api.failNext({ status: 400, code: 21610 });
    await h.runtime.deliver(`sms:${ALICE}`, { from: 'agent', text: 'Are you there?' });
    expect(await h.stores.keyValue.get(`twilio:opt-out:sms:${ALICE}`)).toBeDefined();
    await h.runtime.deliver(`sms:${ALICE}`, { from: 'agent', text: 'Hello?' });
    expect(h.api.calls).toHaveLength(1);
  });
});

describe('Twilio webhook on Redis', () => {
  let redis: RedisServer;
  let h: Harness;
  beforeAll(async () => {
    redis = await startRedisServer();
  });
  afterAll(async () => {
    await redis.stop();
  });
  beforeEach(async () => {
    await flushAllKeys(redis.url);
    h = await startHarness(
      {},
      { stores: await createRedisStores({ url: redis.url, retentionMs: 3_600_000 }) },
    );
  });
  afterEach(async () => {
    await h.close();
  });

  const sms = (body: string) => ({ MessageSid: messageSid(), From: ALICE, To: OUR_NUMBER, Body: body });

  it('refuses unsigned, forged and altered requests with 403 and writes no key at all', async () => {
    const params = sms('hello');
    const altered = twilioSignature(TEST_AUTH_TOKEN, h.webhook, Object.entries(params));
    const refused = [
      await postSigned(h.webhook, sms('human'), { signature: null }),
      await postSigned(h.webhook, sms('human'), { token: 'another-auth-token-0123456789' }),
      await postSigned(h.webhook, sms('human'), { signUrl: 'https://evil.example/webhooks/twilio/messages' }),
      await postSigned(h.webhook, { ...params, Body: 'human' }, { signature: altered }),
    ];
    expect(refused.map((response) => response.status)).toEqual([403, 403, 403, 403]);
    expect((await readAllKeys(redis.url)).map(({ key }) => key)).toEqual([]);
    expect(h.steps).toEqual([]);
    expect(h.api.calls).toEqual([]);
    // The same server does store a signed message: the check above could have seen keys.
    expect((await postSigned(h.webhook, sms('hello'))).status).toBe(200);
    expect((await readAllKeys(redis.url)).length).toBeGreaterThan(0);
  });
});

describe('Twilio webhook deadline and public URL', () => {
  it('answers empty TwiML when the turn runs long and sends the replies out of turn', async () => {
    const h = await startHarness({ replyWithinMs: 50 });
    try {
      h.slowMs = 400;
      const started = Date.now();
      const response = await postSigned(h.webhook, {
        MessageSid: messageSid(),
        From: ALICE,
        To: OUR_NUMBER,
        Body: 'slow',
      });
      expect(twimlMessages(await response.text())).toEqual([]);
      expect(Date.now() - started).toBeLessThan(350);
      const call = await eventually(() => h.api.calls[0], 'the late reply');
      expect(call).toMatchObject({ to: ALICE, body: 'Sorry for the wait: found it.' });
    } finally {
      await h.close();
    }
  });

  it('checks the signature against PARLEY_PUBLIC_URL behind a proxy', async () => {
    const publicUrl = 'https://bot.example.com';
    const h = await startHarness({ publicUrl });
    try {
      const params = { MessageSid: messageSid(), From: ALICE, To: OUR_NUMBER, Body: 'hi' };
      const signUrl = `${publicUrl}/webhooks/twilio/messages`;
      expect((await postSigned(h.webhook, params, { signUrl })).status).toBe(200);
      expect((await postSigned(h.webhook, { ...params, MessageSid: messageSid() })).status).toBe(403);
    } finally {
      await h.close();
    }
  });
});
