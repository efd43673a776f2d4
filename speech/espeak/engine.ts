/**
 * Offline text-to-speech with espeak-ng: it speaks 22.05 kHz 16-bit WAV on stdout, which we resample and
 * encode to what the call wants (8 kHz μ-law for Twilio). SSML goes through espeak-ng's `-m` markup mode,
 * which honours `<break>`, `<prosody>`, `<emphasis>`, `<say-as>` and `<voice>` as far as espeak can.
 */
import { spawn } from 'node:child_process';
import type { AudioFormat, TextToSpeech } from '../../core/speech';
import { encodeAudio, StreamingResampler, WavStreamReader } from '../audio';

export interface EspeakOptions {
  binary?: string;
  /** Words per minute (espeak's default is 175; a little slower is clearer on a phone). */
  wordsPerMinute?: number;
  /** espeak-ng voice per BCP 47 primary language, when the locale's own name is not the voice's. */
  voices?: Record<string, string>;
  timeoutMs?: number;
  /**
   * Per synthesis (benchmarks): the time spent converting its audio (decoding, resampling, encoding), and the
   * rest of the call's time, which is espeak-ng's (starting the process, speaking, exiting).
   */
  onTiming?(timing: { text: string; processMs: number; convertMs: number }): void;
}

/** American English, like the offline recogniser's model: a caller's and a listener's ears agree on "A". */
const DEFAULT_VOICES: Record<string, string> = { en: 'en-us', es: 'es' };

export class EspeakTextToSpeech implements TextToSpeech {
  readonly name = 'espeak-ng';

  constructor(private readonly options: EspeakOptions = {}) {}

  async synthesize(
    input: { text?: string; ssml?: string; locale: string },
    format: AudioFormat,
  ): Promise<Buffer> {
    const markup = input.ssml !== undefined;
    const text = input.ssml ?? input.text ?? '';
    if (text.trim().length === 0) return Buffer.alloc(0);
    const args = [
      '--stdout',
      '-v',
      this.voiceFor(input.locale),
      '-s',
      String(this.options.wordsPerMinute ?? 160),
    ];
    if (markup) args.push('-m');
    const started = performance.now();
    const convert = new SpeechConverter(format);
    await this.run(args, text, (chunk) => convert.push(chunk));
    const audio = convert.end();
    // Conversion done while espeak-ng ran counts as ours too, as if it had not overlapped.
    const convertMs = convert.busyMs;
    this.options.onTiming?.({ text, processMs: performance.now() - started - convertMs, convertMs });
    return audio;
  }

  private voiceFor(locale: string): string {
    const language = locale.toLowerCase().split(/[-_]/)[0];
    return { ...DEFAULT_VOICES, ...this.options.voices }[language] ?? language;
  }

  /** The text goes in on stdin, so nothing a customer typed is ever read as an option. */
  private run(args: string[], text: string, onAudio: (chunk: Buffer) => void): Promise<void> {
    const binary = this.options.binary ?? 'espeak-ng';
    return new Promise((resolve, reject) => {
      const child = spawn(binary, args, { stdio: ['pipe', 'pipe', 'pipe'] });
      const err: Buffer[] = [];
      const timer = setTimeout(() => child.kill('SIGKILL'), this.options.timeoutMs ?? 10_000);
      let failure: unknown;
      child.stdout.on('data', (chunk: Buffer) => {
        try {
          if (failure === undefined) onAudio(chunk);
        } catch (error) {
          failure = error;
        }
      });
      child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
      child.on('error', (error) => {
        clearTimeout(timer);
        reject(new Error(`${binary} failed to start: ${error.message}`));
      });
      child.on('close', (code, signal) => {
        clearTimeout(timer);
        if (code === 0 && failure !== undefined) reject(failure);
        else if (code === 0) resolve();
        else reject(new Error(`${binary} exited ${signal ?? code}: ${Buffer.concat(err).toString().trim()}`));
      });
      child.stdin.end(text);
    });
  }
}

/**
 * espeak-ng's WAV (22.05 kHz, mono) to the call's format as it streams out of the process: decoding,
 * resampling and encoding run while espeak-ng is still speaking, so little is left once it exits.
 */
class SpeechConverter {
  private readonly wav = new WavStreamReader();
  private resampler: StreamingResampler | undefined;
  private readonly parts: Buffer[] = [];

  constructor(private readonly format: AudioFormat) {}

  /** Time spent converting so far. */
  busyMs = 0;

  push(chunk: Buffer): void {
    const started = performance.now();
    this.convert(chunk);
    this.busyMs += performance.now() - started;
  }

  end(): Buffer {
    const started = performance.now();
    if (!this.resampler) throw new Error('espeak-ng spoke no WAV audio');
    this.parts.push(encodeAudio(this.resampler.end(), this.format.encoding));
    const audio = Buffer.concat(this.parts);
    this.busyMs += performance.now() - started;
    return audio;
  }

  private convert(chunk: Buffer): void {
    const samples = this.wav.push(chunk);
    if (!this.wav.format) return;
    if (this.wav.format.channels !== 1)
      throw new Error(`espeak-ng spoke ${this.wav.format.channels} channels`);
    this.resampler ??= new StreamingResampler(this.wav.format.sampleRateHertz, this.format.sampleRateHertz);
    this.parts.push(encodeAudio(this.resampler.push(samples), this.format.encoding));
  }
}
