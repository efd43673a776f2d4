import type { AudioFormat, TextToSpeech } from '../../core/speech';
import { mulawToPcm, rms } from '../audio';
import { splitSentences, synthesizeSentences } from '../sentences';
import { EspeakTextToSpeech } from './engine';

const MULAW_8K: AudioFormat = { encoding: 'mulaw', sampleRateHertz: 8000 };

describe('EspeakTextToSpeech', () => {
  const tts = new EspeakTextToSpeech();

  it('speaks 8 kHz μ-law of a plausible length and level', async () => {
    const audio = await tts.synthesize({ text: 'Your order has shipped.', locale: 'en-GB' }, MULAW_8K);
    const seconds = audio.length / 8000;
    expect(seconds).toBeGreaterThan(0.8);
    expect(seconds).toBeLessThan(4);
    expect(rms(mulawToPcm(audio))).toBeGreaterThan(500);
  });

  it('honours SSML breaks instead of reading the markup aloud', async () => {
    const plain = await tts.synthesize({ text: 'Hello there.', locale: 'en-US' }, MULAW_8K);
    const ssml = await tts.synthesize(
      { ssml: '<speak>Hello <break time="1500ms"/> there.</speak>', locale: 'en-US' },
      MULAW_8K,
    );
    expect(ssml.length - plain.length).toBeGreaterThan(0.9 * 8000);
    expect(ssml.length - plain.length).toBeLessThan(2.5 * 8000);
  });

  it('reads text that looks like an option as text', async () => {
    const audio = await tts.synthesize(
      { text: '--help', locale: 'en' },
      { encoding: 'linear16', sampleRateHertz: 16000 },
    );
    expect(audio.length).toBeGreaterThan(16000);
  });
});

describe('sentence by sentence', () => {
  it('splits after sentence ends, not after abbreviations or decimals', () => {
    expect(splitSentences('Hello Mr. Smith. Your bill is £4.50! Anything else? Bye')).toEqual([
      'Hello Mr. Smith.',
      'Your bill is £4.50!',
      'Anything else?',
      'Bye',
    ]);
  });

  it('hands over the first sentence while the next is still being synthesised', async () => {
    const log: string[] = [];
    const pending = new Map<string, () => void>();
    const slow: TextToSpeech = {
      name: 'slow',
      synthesize: ({ text = '' }) => {
        log.push(`start ${text}`);
        return new Promise((resolve) => pending.set(text, () => resolve(Buffer.from(text))));
      },
    };
    const chunks = synthesizeSentences(slow, { text: 'One. Two. Three.', locale: 'en' }, MULAW_8K);
    const first = chunks.next();
    pending.get('One.')?.();
    expect((await first).value?.audio.toString()).toBe('One.');
    log.push('got One.');
    expect(log).toEqual(['start One.', 'start Two.', 'got One.']);
    const second = chunks.next();
    pending.get('Two.')?.();
    expect((await second).value?.text).toBe('Two.');
    const third = chunks.next();
    pending.get('Three.')?.();
    expect((await third).value?.text).toBe('Three.');
    expect((await chunks.next()).done).toBe(true);
  });
});
