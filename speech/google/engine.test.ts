import type { Transcript } from '../../core/speech';
import { startFakeSpeechServer, type FakeSpeechServer } from '../../test/support/fake-google-speech';
import { GoogleSpeechToText } from './engine';
import type { ReplayingStream } from './replaying-stream';

const MULAW_8K = { encoding: 'mulaw', sampleRateHertz: 8000 } as const;
const HINTS = { locale: 'en-GB', phrases: ['where is my order', 'A1001', 'A1001'], slot: 'order_number' };

/** 20 ms of μ-law with a recognisable byte, so replayed audio can be told apart. */
const frame = (marker: number) => Buffer.alloc(160, marker);

describe('GoogleSpeechToText against a local google.cloud.speech.v1.Speech server', () => {
  let server: FakeSpeechServer;
  let engine: GoogleSpeechToText;
  beforeEach(async () => {
    server = await startFakeSpeechServer();
    engine = new GoogleSpeechToText({ client: server.clientOptions, restartAfterMs: 60_000 });
  });
  afterEach(async () => {
    await engine.close();
    await server.stop();
  });

  function listen(stream: ReturnType<GoogleSpeechToText['open']>) {
    const seen: (Transcript | 'speech' | Error)[] = [];
    stream.onTranscript((t) => seen.push(t));
    stream.onSpeechStart(() => seen.push('speech'));
    stream.onError((e) => seen.push(e));
    return seen;
  }

  async function until(check: () => boolean, what: string): Promise<void> {
    const deadline = Date.now() + 5000;
    while (!check()) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }

  it('asks for the phone model with interim results, voice events and the hints as a speech context', async () => {
    const stream = engine.open(MULAW_8K, HINTS);
    stream.write(frame(1));
    const call = await server.call(0);
    expect(call.config).toMatchObject({
      interimResults: true,
      enableVoiceActivityEvents: true,
      config: {
        encoding: 'MULAW',
        sampleRateHertz: 8000,
        languageCode: 'en-GB',
        model: 'phone_call',
        useEnhanced: true,
        speechContexts: [{ phrases: ['where is my order', 'A1001'], boost: 10 }],
      },
    });
    stream.close();
  });

  it('reports speech start, interim and final transcripts', async () => {
    const stream = engine.open(MULAW_8K, HINTS);
    const seen = listen(stream);
    stream.write(frame(1));
    const call = await server.call(0);
    call.send({ speechEventType: 'SPEECH_ACTIVITY_BEGIN' });
    call.send({ results: [{ alternatives: [{ transcript: 'where is' }], stability: 0.8 }] });
    call.send({
      results: [
        { alternatives: [{ transcript: 'where is my order A1001', confidence: 0.93 }], isFinal: true },
      ],
    });
    await until(() => seen.length >= 3, 'three events');
    expect(seen).toEqual([
      'speech',
      { text: 'where is', final: false, confidence: expect.closeTo(0.8, 5) },
      { text: 'where is my order A1001', final: true, confidence: expect.closeTo(0.93, 5) },
    ]);
    stream.close();
  });

  it('restarts at Google’s stream limit and replays the audio no final result covered', async () => {
    const stream = engine.open(MULAW_8K, { locale: 'en-US', phrases: [] });
    const seen = listen(stream);
    for (let i = 1; i <= 5; i++) stream.write(frame(i));
    const first = await server.call(0);
    await first.waitForAudio(5 * 160);
    // Frames 1–2 (40 ms) are finalised; 3–5 are still being recognised when the stream hits its limit.
    first.send({
      results: [
        {
          alternatives: [{ transcript: 'hello' }],
          isFinal: true,
          resultEndTime: { seconds: 0, nanos: 40e6 },
        },
      ],
    });
    await until(() => seen.length >= 2, 'the first final');
    first.failOutOfRange();
    const second = await server.call(1);
    stream.write(frame(6));
    await second.waitForAudio(4 * 160);
    expect([...second.audio.subarray(0, 4 * 160)].filter((_, i) => i % 160 === 0)).toEqual([3, 4, 5, 6]);
    second.send({ results: [{ alternatives: [{ transcript: 'my order' }], isFinal: true }] });
    await until(
      () => seen.filter((s) => typeof s === 'object' && 'final' in s).length >= 2,
      'the second final',
    );
    expect(seen.filter((s) => s instanceof Error)).toEqual([]);
    expect((stream as ReplayingStream).streamsOpened).toBe(2);
    stream.close();
  });

  it('restarts on its own before the limit, without losing audio', async () => {
    let clock = 0;
    const stream = engine.open(MULAW_8K, { locale: 'en-US', phrases: [] }) as ReplayingStream;
    (stream as unknown as { now: () => number }).now = () => clock;
    stream.write(frame(7));
    const first = await server.call(0);
    await first.waitForAudio(160);
    clock = 61_000;
    stream.write(frame(8));
    const second = await server.call(1);
    await second.waitForAudio(320);
    expect([second.audio[0], second.audio[160]]).toEqual([7, 8]);
    await until(() => first.ended, 'the old stream to be ended');
    stream.close();
  });

  it('passes other stream errors to the listener instead of restarting', async () => {
    const stream = engine.open(MULAW_8K, { locale: 'en-US', phrases: [] });
    const seen = listen(stream);
    stream.write(frame(1));
    const call = await server.call(0);
    (call as unknown as { call: { emit(e: string, v: unknown): void } }).call.emit('error', {
      code: 7,
      details: 'permission denied',
    });
    await until(() => seen.length > 0, 'an error');
    expect(String(seen[0])).toContain('permission denied');
    expect(server.calls).toHaveLength(1);
    stream.close();
  });
});
