/**
 * Offline text-to-speech with espeak-ng: it speaks 22.05 kHz 16-bit WAV on stdout, which we resample and
 * encode to what the call wants (8 kHz μ-law for Twilio). SSML goes through espeak-ng's `-m` markup mode,
 * which honours `<break>`, `<prosody>`, `<emphasis>`, `<say-as>` and `<voice>` as far as espeak can.
 */
import { spawn } from 'node:child_process';
import type { AudioFormat, TextToSpeech } from '../../core/speech';
import { encodeAudio, readWav, resample } from '../audio';

export interface EspeakOptions {
  binary?: string;
  /** Words per minute (espeak's default is 175; a little slower is clearer on a phone). */
  wordsPerMinute?: number;
  /** espeak-ng voice per BCP 47 primary language, when the locale's own name is not the voice's. */
  voices?: Record<string, string>;
  timeoutMs?: number;
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
    const wav = readWav(await this.run(args, text));
    const samples = resample(wav.samples, wav.sampleRateHertz, format.sampleRateHertz);
    return encodeAudio(samples, format.encoding);
  }

  private voiceFor(locale: string): string {
    const language = locale.toLowerCase().split(/[-_]/)[0];
    return { ...DEFAULT_VOICES, ...this.options.voices }[language] ?? language;
  }

  /** The text goes in on stdin, so nothing a customer typed is ever read as an option. */
  private run(args: string[], text: string): Promise<Buffer> {
    const binary = this.options.binary ?? 'espeak-ng';
    return new Promise((resolve, reject) => {
      const child = spawn(binary, args, { stdio: ['pipe', 'pipe', 'pipe'] });
      const out: Buffer[] = [];
      const err: Buffer[] = [];
      const timer = setTimeout(() => child.kill('SIGKILL'), this.options.timeoutMs ?? 10_000);
      child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
      child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
      child.on('error', (error) => {
        clearTimeout(timer);
        reject(new Error(`${binary} failed to start: ${error.message}`));
      });
      child.on('close', (code, signal) => {
        clearTimeout(timer);
        if (code === 0) resolve(Buffer.concat(out));
        else reject(new Error(`${binary} exited ${signal ?? code}: ${Buffer.concat(err).toString().trim()}`));
      });
      child.stdin.end(text);
    });
  }
}
