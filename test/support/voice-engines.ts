import type {
  RecognitionHints,
  RecognitionStream,
  SpeechToText,
  TextToSpeech,
  Transcript,
} from '../../core/speech';
import { mulawToPcm, pcmToMulaw, rms } from '../../speech/audio';
import { EnergyVad } from '../../speech/vad';

/** A tone of `hz` for `ms` in 8 kHz μ-law: the scripted engines' "speech". */
export function tone(hz: number, ms: number, amplitude = 8000): Buffer {
  const samples = Math.round((8000 * ms) / 1000);
  return pcmToMulaw(
    Int16Array.from({ length: samples }, (_, i) => amplitude * Math.sin((2 * Math.PI * hz * i) / 8000)),
  );
}

/** The frequency of μ-law audio from its zero crossings. */
function frequency(mulaw: Buffer): number {
  let crossings = 0;
  let previous = 0;
  for (const byte of mulaw) {
    const sign = byte & 0x80 ? 1 : -1;
    if (previous !== 0 && sign !== previous) crossings += 1;
    previous = sign;
  }
  return (crossings / 2) * (8000 / mulaw.length);
}

/**
 * A speech-to-text that "recognises" tones: each utterance's pitch is looked up in `script` (Hz → words).
 * Speech start and end come from the same energy detector the offline engine uses (speech start after two
 * loud 20 ms frames, as the barge-in benchmark counts).
 */
export function scriptedSpeechToText(
  script: Record<number, string>,
): SpeechToText & { hints: RecognitionHints[] } {
  const hints: RecognitionHints[] = [];
  return {
    name: 'scripted',
    hints,
    open(_format, turnHints): RecognitionStream {
      hints.push(turnHints);
      const vad = new EnergyVad({ sampleRateHertz: 8000, startMs: 40, endSilenceMs: 200 });
      let heard: Buffer[] = [];
      let closed = false;
      const listeners = { transcript: [] as ((t: Transcript) => void)[], start: [] as (() => void)[] };
      return {
        write(audio) {
          if (closed) return;
          const samples = mulawToPcm(audio);
          const events = vad.push(samples).map((event) => event.kind);
          if (rms(samples) >= 500) heard.push(audio);
          if (events.includes('speech-start')) listeners.start.forEach((listener) => listener());
          if (!events.includes('speech-end')) return;
          const hz = frequency(Buffer.concat(heard));
          heard = [];
          const nearest = Object.keys(script)
            .map(Number)
            .sort((a, b) => Math.abs(a - hz) - Math.abs(b - hz))[0];
          const text = nearest !== undefined && Math.abs(nearest - hz) < 40 ? (script[nearest] ?? '') : '';
          listeners.transcript.forEach((listener) => listener({ text, confidence: 0.87, final: true }));
        },
        end() {},
        close() {
          closed = true;
        },
        onTranscript: (listener) => listeners.transcript.push(listener),
        onSpeechStart: (listener) => listeners.start.push(listener),
        onError: () => undefined,
      };
    },
  };
}

/** A text-to-speech that answers each sentence with a 440 Hz burst, 20 ms per character. */
export function toneTextToSpeech(): TextToSpeech & { said: string[] } {
  const said: string[] = [];
  return {
    name: 'tones',
    said,
    async synthesize(input) {
      const text = input.text ?? input.ssml ?? '';
      said.push(text);
      return tone(440, text.length * 20);
    },
  };
}
