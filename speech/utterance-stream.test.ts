import type { Transcript } from '../core/speech';
import { pcmToBytes } from './audio';
import { UtteranceStream } from './utterance-stream';

const RATE = 16000;
const FORMAT = { encoding: 'linear16', sampleRateHertz: RATE } as const;

function tone(ms: number): Buffer {
  const n = (RATE * ms) / 1000;
  return pcmToBytes(
    Int16Array.from({ length: n }, (_, i) => Math.round(6000 * Math.sin((2 * Math.PI * 220 * i) / RATE))),
  );
}
const silence = (ms: number) => Buffer.alloc(((RATE * ms) / 1000) * 2);

function recording() {
  const heard: number[] = [];
  const stream = new UtteranceStream(FORMAT, { sampleRateHertz: RATE }, async (samples) => {
    heard.push(samples.length);
    return { text: `utterance ${heard.length}`, final: true };
  });
  const seen: (Transcript | 'speech')[] = [];
  stream.onTranscript((t) => seen.push(t));
  stream.onSpeechStart(() => seen.push('speech'));
  return { stream, heard, seen };
}

describe('UtteranceStream', () => {
  it('recognises each utterance once, with some audio from before the speech started', async () => {
    const { stream, heard, seen } = recording();
    for (const chunk of [silence(500), tone(400), silence(800), tone(300), silence(800)]) stream.write(chunk);
    await stream.settled();
    // Speech starts are reported as the audio arrives; transcripts once recognised, in order.
    expect(seen.filter((s) => s === 'speech')).toHaveLength(2);
    expect(seen.filter((s) => s !== 'speech')).toEqual([
      { text: 'utterance 1', final: true },
      { text: 'utterance 2', final: true },
    ]);
    expect(seen[0]).toBe('speech');
    // 400 ms of speech plus pre-roll and the 700 ms of quiet that ended it.
    expect(heard[0] / RATE).toBeGreaterThan(0.4 + 0.2 + 0.6);
    expect(heard[0] / RATE).toBeLessThan(0.4 + 0.5 + 0.8 + 0.1);
  });

  it('flushes speech still going at end(), and ignores audio after it', async () => {
    const { stream, seen } = recording();
    stream.write(tone(300));
    stream.end();
    stream.write(tone(300));
    stream.write(silence(900));
    await stream.settled();
    expect(seen).toEqual(['speech', { text: 'utterance 1', final: true }]);
  });

  it('says nothing after close(), not even for an utterance being recognised', async () => {
    const { stream, seen } = recording();
    stream.write(tone(300));
    stream.write(silence(800));
    stream.close();
    await stream.settled();
    expect(seen).toEqual(['speech']);
  });

  it('reports a failing recogniser through onError', async () => {
    const stream = new UtteranceStream(FORMAT, { sampleRateHertz: RATE }, () =>
      Promise.reject(new Error('no binary')),
    );
    const errors: string[] = [];
    stream.onError((e) => errors.push(e.message));
    stream.write(tone(300));
    stream.write(silence(800));
    await stream.settled();
    expect(errors).toEqual(['no binary']);
  });
});
