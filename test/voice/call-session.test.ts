import { createRuntime, type ParleyRuntime } from '../../app/runtime';
import { createConnectorRegistry } from '../../core/connector-registry';
import type { DialogEngine, DialogOutcome } from '../../core/dialog';
import type { NluParser } from '../../core/nlu';
import { createHttpServer, type ParleyHttpServer } from '../../connectors/http/http-server';
import { memoryLogger } from '../support/fake-runtime';
import { twilioSignature } from '../../connectors/twilio/twilio.signature';
import { TEST_ACCOUNT_SID, TEST_AUTH_TOKEN } from '../support/twilio';
import { mulawSilence } from '../../connectors/voice/voice.frames';
import { createVoiceConnector } from '../../connectors/voice/voice.connector';
import { WITHHELD } from '../../core/pipeline';
import { createMemoryStores } from '../../stores/memory';
import { startFakeCallsApi } from '../support/fake-twilio-calls';
import { TwilioMediaClient } from '../support/twilio-media-client';
import { scriptedSpeechToText, tone, toneTextToSpeech } from '../support/voice-engines';

const nlu: NluParser = {
  async parse(text) {
    const intent = { name: 'echo', confidence: 0.9 };
    return { text, intent, intent_ranking: [intent], entities: [], locale: 'en' };
  },
};

/** A bot that asks for an order number, a card number (sensitive), talks at length, and hands off. */
const dialog: DialogEngine = {
  async step(state, input): Promise<DialogOutcome> {
    const said = input.type === 'user' ? input.text : input.type;
    const reply = (text: string, extra: object = {}): DialogOutcome => ({
      state: state ?? {},
      replies: [{ from: 'bot', text, ...extra }],
      events: [],
    });
    if (said === 'launch') return reply('Hello.');
    if (said === 'order')
      return reply('Key in your order number, then hash.', { asks: { slot: 'order_number' } });
    if (said === 'pay') return reply('Key in your card number.', { asks: { slot: 'card', sensitive: true } });
    if (said === 'long')
      return reply(Array.from({ length: 20 }, (_, i) => `This is sentence ${i}.`).join(' '));
    if (/^\d{12,19}$/.test(said)) return reply(`Card of ${said.length} digits received.`);
    if (said === 'agent') return { ...reply('One moment.'), escalation: { reason: 'customer_request' } };
    return reply(`You said ${said}.`);
  },
  summarize: () => ({ slots: {}, tried: [] }),
};

/** A Mastercard test number, said digit by digit (the DTMF test keys a different one). */
const SPOKEN_CARD = '5555555555554444';
const SCRIPT = {
  600: 'order',
  800: 'pay',
  1000: 'long',
  1200: 'agent',
  1400: 'hello',
  1600: 'five five five five five five five five five five five five four four four four',
};

describe('a call session (scripted engines, real runtime, local Calls API)', () => {
  let runtime: ParleyRuntime;
  let server: ParleyHttpServer;
  let url: string;
  let api: Awaited<ReturnType<typeof startFakeCallsApi>>;
  const tts = toneTextToSpeech();
  const stt = scriptedSpeechToText(SCRIPT);

  beforeAll(async () => {
    api = await startFakeCallsApi(TEST_ACCOUNT_SID, TEST_AUTH_TOKEN);
    const logger = memoryLogger();
    runtime = createRuntime({
      stores: createMemoryStores({ retentionMs: 3_600_000 }),
      nlu,
      dialog,
      redact: (text) => ({ text, redactions: [] }),
      logger,
    });
    const voice = createVoiceConnector({
      authToken: TEST_AUTH_TOKEN,
      accountSid: TEST_ACCOUNT_SID,
      apiUrl: api.url,
      publicUrl: 'http://127.0.0.1:1',
      transferTo: 'sip:desk@pbx.example.com',
      stt,
      tts,
      silenceMs: 2_500,
      maxSilences: 1,
      dtmfTimeoutMs: 2_000,
    });
    server = createHttpServer({ runtime, logger, connectors: createConnectorRegistry([voice]) });
    url = (await server.listen(0)).url;
  });
  afterAll(async () => {
    await server.close();
    await runtime.close();
    await api.close();
  });

  let callers = 0;
  /** A new call from a new number (one number's calls share its conversation). */
  async function call(callSid: string): Promise<TwilioMediaClient> {
    callers += 1;
    // The upgrade is signed over the public URL Twilio was told, not the local one.
    const signature = twilioSignature(TEST_AUTH_TOKEN, 'ws://127.0.0.1:1/webhooks/twilio/media', []);
    const client = await TwilioMediaClient.call(url, { from: `+1555000400${callers}`, callSid, signature });
    await client.until(() => client.marks() >= 1);
    return client;
  }

  async function say(client: TwilioMediaClient, hz: number): Promise<void> {
    await client.speak(Buffer.concat([tone(hz, 300), mulawSilence(300)]), 0);
  }

  it('barge-in: caller speech during playback sends clear and stops the rest of the answer', async () => {
    const client = await call('CAbargein');
    await say(client, 1000);
    await client.until((got) => got.filter((item) => item.event === 'media').length > 40);
    const sentBefore = tts.said.length;
    await say(client, 1400);
    await client.until((got) => got.some((item) => item.event === 'clear'));
    await client.until(() => tts.said.includes('You said hello.'));
    // The long answer's 20 sentences were not all synthesised: the bot stopped talking.
    expect(tts.said.filter((sentence) => sentence.startsWith('This is sentence')).length).toBeLessThan(20);
    expect(tts.said.length).toBeGreaterThanOrEqual(sentBefore);
    client.hangUp();
  }, 20_000);

  it('DTMF: keyed digits and # become a text turn, read back, with the slot as a hint', async () => {
    const client = await call('CAdtmf');
    await say(client, 600);
    await client.until(() => client.marks() >= 2);
    expect(stt.hints.at(-1)?.slot).toBe('order_number');
    client.dtmf('1001#');
    await client.until(() => tts.said.includes('You said 1001.'));
    expect(tts.said).toContain('I heard 1, 0, 0, 1.');
    const lines = await runtime.stores.transcripts.read('voice:CAdtmf');
    expect(lines.find((line) => line.text === '1001')).toMatchObject({ speaker: 'customer' });
    client.hangUp();
  }, 20_000);

  it('card details: keyed digits reach the flow but not the transcript, and are not read back', async () => {
    const client = await call('CAcard');
    await say(client, 800);
    await client.until(() => client.marks() >= 2);
    client.dtmf('4111111111111111#');
    await client.until(() => tts.said.includes('Card of 16 digits received.'));
    expect(tts.said.join(' ')).not.toMatch(/I heard 4, 1/);
    const lines = await runtime.stores.transcripts.read('voice:CAcard');
    expect(JSON.stringify(lines)).not.toContain('4111');
    expect(lines.some((line) => line.text === WITHHELD)).toBe(true);
    client.hangUp();
  }, 20_000);

  it('handoff: opens a case with the recognised words and confidences, then transfers the call with its id', async () => {
    const client = await call('CAhandoff');
    await say(client, 1200);
    await client.until(() => api.updates.some((update) => update.callSid === 'CAhandoff'), 10_000);
    const twiml = api.updates.find((update) => update.callSid === 'CAhandoff')?.twiml ?? '';
    const [item] = await runtime.stores.cases.list({ status: 'queued' });
    expect(twiml).toContain(`<Sip>sip:desk@pbx.example.com?X-Parley-Case-Id=${item?.id}</Sip>`);
    const spoken = item?.package.transcript.find((line) => line.text === 'agent');
    expect(spoken?.data).toMatchObject({ speechConfidence: 0.87 });
    expect(tts.said).toContain("I'm transferring you to a colleague now.");
    client.hangUp();
  }, 20_000);

  it('card details: spoken digits reach the flow but no transcript line, store or case package', async () => {
    const client = await call('CAcardspoken');
    await say(client, 800);
    await client.until(() => client.marks() >= 2);
    const received = () => tts.said.filter((sentence) => sentence === 'Card of 16 digits received.').length;
    const before = received();
    await say(client, 1600);
    await client.until(() => received() > before);
    expect(tts.said.join(' ')).not.toMatch(/I heard 5, 5/);
    await say(client, 1200);
    await client.until(() => api.updates.some((update) => update.callSid === 'CAcardspoken'), 10_000);

    const lines = await runtime.stores.transcripts.read('voice:CAcardspoken');
    expect(lines.find((line) => line.text === WITHHELD)).toMatchObject({
      speaker: 'customer',
      data: { withheld: true, speechConfidence: 0.87 },
    });
    expect(lines.some((line) => line.text === 'agent')).toBe(true); // what followed is recorded as usual
    const state = await runtime.stores.conversations.get('voice:CAcardspoken');
    const opened = (await runtime.stores.cases.list()).find(
      (item) => item.conversationId === 'voice:CAcardspoken',
    );
    expect(opened?.package.transcript.some((line) => line.text === WITHHELD)).toBe(true);
    for (const kept of [lines, state, opened]) expect(JSON.stringify(kept)).not.toContain(SPOKEN_CARD);
    client.hangUp();
  }, 20_000);

  it('silence: "Are you still there?", then a polite goodbye and the stream ends', async () => {
    const client = await call('CAsilence');
    await client.until(() => client.closed, 15_000).catch(() => undefined);
    expect(client.closed).toBe(true);
    expect(tts.said).toContain('Are you still there?');
    expect(tts.said.some((sentence) => sentence.startsWith("I haven't heard anything"))).toBe(true);
  }, 20_000);
});
