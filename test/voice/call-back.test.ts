import { createRuntime, type ParleyRuntime } from '../../app/runtime';
import { createConnectorRegistry } from '../../core/connector-registry';
import type { DialogEngine, DialogOutcome } from '../../core/dialog';
import type { Clock } from '../../core/ports';
import { createHttpServer, type ParleyHttpServer } from '../../connectors/http/http-server';
import { twilioSignature } from '../../connectors/twilio/twilio.signature';
import { mulawSilence } from '../../connectors/voice/voice.frames';
import { createVoiceConnector, type VoiceOptions } from '../../connectors/voice/voice.connector';
import { installHandoffTriggers, type BusinessHoursConfig } from '../../handoff/triggers';
import { createMemoryStores } from '../../stores/memory';
import { echoNlu } from '../support/crash-kit';
import { memoryLogger } from '../support/fake-runtime';
import { startFakeCallsApi } from '../support/fake-twilio-calls';
import { TEST_ACCOUNT_SID, TEST_AUTH_TOKEN } from '../support/twilio';
import { TwilioMediaClient } from '../support/twilio-media-client';
import { scriptedSpeechToText, tone, toneTextToSpeech } from '../support/voice-engines';

/** A bot that greets, echoes, and hands off when asked for a person. */
const dialog: DialogEngine = {
  async step(state, input): Promise<DialogOutcome> {
    const said = input.type === 'user' ? input.text : input.type;
    const reply = (text: string): DialogOutcome => ({
      state: state ?? {},
      replies: [{ from: 'bot', text }],
      events: [],
    });
    if (said === 'launch') return reply('Hello.');
    if (said === 'agent') return { ...reply('One moment.'), escalation: { reason: 'customer_request' } };
    return reply(`You said ${said}.`);
  },
  summarize: () => ({ slots: {}, tried: [] }),
};

const SCRIPT = { 600: 'where is my parcel', 1200: 'agent' };
const CALL_BACK =
  "A colleague will call you back on this number. They'll see everything we've discussed. Goodbye!";
const TRANSFERRING = "I'm transferring you to a colleague now.";

/** Real time, moved to a Saturday noon in London: the team in these tests works weekdays only. */
const SATURDAY_NOON = Date.parse('2025-01-04T12:00:00Z');
function saturdayClock(): Clock {
  const shift = Date.now() - SATURDAY_NOON;
  return { now: () => Date.now() - shift };
}
const WEEKDAYS_ONLY: BusinessHoursConfig = {
  timeZone: 'Europe/London',
  weekly: { mon: ['09:00-17:00'], tue: ['09:00-17:00'], wed: ['09:00-17:00'] },
};

/** A runtime with the voice connector behind a local HTTP server, and a local Calls API that records updates. */
async function startPhoneLine(voice: Pick<VoiceOptions, 'transferTo'>, businessHours?: BusinessHoursConfig) {
  const api = await startFakeCallsApi(TEST_ACCOUNT_SID, TEST_AUTH_TOKEN);
  const logger = memoryLogger();
  const clock = businessHours ? saturdayClock() : undefined;
  const runtime: ParleyRuntime = createRuntime({
    stores: createMemoryStores({ retentionMs: 3_600_000, ...(clock ? { clock } : {}) }),
    nlu: echoNlu,
    dialog,
    redact: (text) => ({ text, redactions: [] }),
    logger,
    ...(clock ? { clock } : {}),
  });
  if (businessHours) installHandoffTriggers(runtime, runtime.handoff, { sentiment: false, businessHours });
  const tts = toneTextToSpeech();
  const connector = createVoiceConnector({
    authToken: TEST_AUTH_TOKEN,
    accountSid: TEST_ACCOUNT_SID,
    apiUrl: api.url,
    publicUrl: 'http://127.0.0.1:1',
    ...voice,
    stt: scriptedSpeechToText(SCRIPT),
    tts,
    silenceMs: 5_000,
    frameMs: 2,
  });
  const server: ParleyHttpServer = createHttpServer({
    runtime,
    logger,
    connectors: createConnectorRegistry([connector]),
    ...(clock ? { clock } : {}),
  });
  const { url } = await server.listen(0);

  /** A call that says where-is-my-parcel, then asks for a person; resolves once the stream has ended. */
  async function callAndAskForAPerson(callSid: string): Promise<TwilioMediaClient> {
    const signature = twilioSignature(TEST_AUTH_TOKEN, 'ws://127.0.0.1:1/webhooks/twilio/media', []);
    const client = await TwilioMediaClient.call(url, { from: '+15550004999', callSid, signature });
    await client.until(() => client.marks() >= 1);
    await client.speak(Buffer.concat([tone(600, 300), mulawSilence(300)]), 0);
    await client.until(() => client.marks() >= 2);
    await client.speak(Buffer.concat([tone(1200, 300), mulawSilence(300)]), 0);
    await client.until(() => client.closed, 10_000).catch(() => undefined);
    return client;
  }

  return {
    runtime,
    api,
    tts,
    callAndAskForAPerson,
    async close() {
      await server.close();
      await runtime.close();
      await api.close();
    },
  };
}

type PhoneLine = Awaited<ReturnType<typeof startPhoneLine>>;

/** The case opened on the call holds the whole call: the greeting, both of the caller's turns and the answers. */
async function expectCaseWithTheWholeCall(line: PhoneLine, callSid: string): Promise<void> {
  const [opened, ...more] = await line.runtime.stores.cases.list({ status: 'queued' });
  expect(more).toEqual([]);
  expect(opened?.conversationId).toBe(`voice:${callSid}`);
  const said = (opened?.package.transcript ?? []).filter((entry) => entry.text !== undefined);
  expect(said.map((entry) => [entry.speaker, entry.text]).slice(0, 5)).toEqual([
    ['bot', 'Hello.'],
    ['customer', 'where is my parcel'],
    ['bot', 'You said where is my parcel.'],
    ['customer', 'agent'],
    ['bot', 'One moment.'],
  ]);
  expect(opened?.package.transcript.some((entry) => entry.event === 'escalated')).toBe(true);
}

describe('a call escalated with no one to transfer it to', () => {
  let line: PhoneLine;
  beforeAll(async () => {
    line = await startPhoneLine({}); // the Calls API is there, but no transfer number or SIP address
  });
  afterAll(() => line.close());

  it('opens a case with the whole call, promises a call back, and hangs up without a transfer', async () => {
    const client = await line.callAndAskForAPerson('CAnotransfer');
    expect(client.closed).toBe(true);
    expect(line.tts.said.join(' ')).toContain(CALL_BACK);
    expect(line.tts.said.join(' ')).not.toContain(TRANSFERRING);
    expect(line.api.updates).toEqual([]);
    await expectCaseWithTheWholeCall(line, 'CAnotransfer');
  }, 20_000);
});

describe('a call escalated outside business hours, with a transfer number configured', () => {
  let line: PhoneLine;
  beforeAll(async () => {
    line = await startPhoneLine({ transferTo: 'sip:desk@pbx.example.com' }, WEEKDAYS_ONLY);
  });
  afterAll(() => line.close());

  it('opens a case with the whole call, says when the team is back, promises a call back, no transfer', async () => {
    const client = await line.callAndAskForAPerson('CAclosed');
    expect(client.closed).toBe(true);
    const heard = line.tts.said.join(' ');
    // When they are back, then the call back and goodbye: the last words before the line goes quiet.
    expect(heard).toMatch(
      /One moment\. Our team is offline now; a person will reply from Monday 09:00\. A colleague will call you back on this number\. They'll see everything we've discussed\. Goodbye!$/,
    );
    expect(heard).not.toContain(TRANSFERRING);
    expect(line.api.updates).toEqual([]);
    await expectCaseWithTheWholeCall(line, 'CAclosed');
  }, 20_000);
});
