/**
 * The order of work on a call turn's critical path (what the caller waits for): no timings, only what
 * happens before what, with fake engines and a fake pipeline that record into one log.
 */
import type { Reply } from '../../core/message';
import type { ConversationRuntime } from '../../core/runtime';
import type { RecognitionStream, SpeechToText, TextToSpeech } from '../../core/speech';
import { frameworkMessages } from '../../locales/load';
import { memoryLogger } from '../../test/support/fake-runtime';
import { VOICE_CAPABILITIES } from './voice.connector';
import type { OutboundEvent } from './voice.protocol';
import { CallSession } from './voice.session';

function harness(replies: Reply[]) {
  const log: string[] = [];
  let finishTurn: () => void = () => undefined;
  const runtime = {
    async handle(message) {
      if (message.kind === 'launch') return [];
      log.push(`handle ${message.text}`);
      await new Promise<void>((resolve) => (finishTurn = resolve));
      log.push('handled');
      return replies;
    },
  } as Pick<ConversationRuntime, 'handle'> as ConversationRuntime;
  const tts: TextToSpeech = {
    name: 'fake',
    async synthesize(input) {
      log.push(`synthesize ${input.text}`);
      return Buffer.alloc(1600, 0x7f); // 200 ms
    },
  };
  const stream: RecognitionStream = {
    write: () => undefined,
    end: () => undefined,
    close: () => undefined,
    onTranscript: () => undefined,
    onSpeechStart: () => undefined,
    onError: () => undefined,
  };
  const stt: SpeechToText = {
    name: 'fake',
    open(_format, hints) {
      log.push(`listen${hints.slot ? ` for ${hints.slot}` : ''}`);
      return stream;
    },
  };
  const session = new CallSession({
    runtime,
    stt,
    tts,
    messages: frameworkMessages(),
    logger: memoryLogger(),
    clock: { now: () => 0 },
    settings: {
      capabilities: VOICE_CAPABILITIES,
      locale: 'en',
      phrases: [],
      silenceMs: 60_000,
      maxSilences: 1,
      dtmfTimeoutMs: 60_000,
      frameMs: 1,
      canTransfer: false,
    },
    send(event: OutboundEvent) {
      if (event.event === 'media' && log.at(-1) !== 'frame') log.push('frame');
      if (event.event === 'mark') session.mark(event.mark.name);
    },
    hangUp: () => undefined,
    transfer: async () => undefined,
  });
  return { log, session, finishTurn: () => finishTurn() };
}

const until = async (check: () => boolean) => {
  for (let i = 0; i < 200 && !check(); i += 1) await new Promise((resolve) => setTimeout(resolve, 5));
  expect(check()).toBe(true);
};

describe('a call turn, in order', () => {
  it('reads back keyed digits while the pipeline works, sends a frame before the next synthesis, then listens', async () => {
    const { log, session, finishTurn } = harness([
      { from: 'bot', text: 'Order A1001 has shipped. It arrives on Monday.', asks: { slot: 'rating' } },
    ]);
    session.start({
      event: 'start',
      streamSid: 'MZ1',
      start: { streamSid: 'MZ1', callSid: 'CA1', customParameters: { from: '+15550001111' } },
    } as Parameters<CallSession['start']>[0]);
    await until(() => log.filter((line) => line === 'listen').length === 2); // on start, and after the launch
    log.length = 0;
    for (const key of '1001#') session.dtmf(key);
    await until(() => log.includes('handle 1001'));
    await until(() => log.some((line) => line.startsWith('synthesize I heard')));
    finishTurn();
    await until(() => log.includes('listen for rating'));
    await until(() => log.includes('synthesize It arrives on Monday.'));
    session.stop();
    // The read-back's synthesis starts before the pipeline, its first frame goes out as soon as the turn is
    // done, and only then do listening with the new hints and the next synthesis start.
    expect(log.slice(0, 7)).toEqual([
      'synthesize I heard 1, 0, 0, 1.',
      'handle 1001',
      'handled',
      'frame',
      'listen for rating',
      'frame',
      'synthesize Order A 1 0 0 1 has shipped.',
    ]);
    const next = log.indexOf('synthesize It arrives on Monday.');
    expect(log.slice(7, next)).toContain('frame'); // the second sentence was already playing
  });
});
