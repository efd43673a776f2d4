import { spawn } from 'node:child_process';
import type { AudioFormat, TextToSpeech } from '../../core/speech';

/** Runs a program with `input` on stdin; resolves its stdout, rejects with its stderr on failure. */
export function runProgram(
  command: string,
  args: readonly string[],
  input?: Buffer | string,
): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code === 0) resolve(Buffer.concat(out));
      else
        reject(
          new Error(`${command} exited with ${code}: ${Buffer.concat(err).toString('utf8').slice(0, 300)}`),
        );
    });
    child.stdin.on('error', () => undefined);
    child.stdin.end(input ?? '');
  });
}

/** espeak-ng voices per language; anything else falls back to English. */
const VOICES: Readonly<Record<string, string>> = { en: 'en-us', es: 'es' };

/**
 * Offline text-to-speech: espeak-ng renders the sentence (SSML with `-m`), sox turns it into the stream's
 * format (8 kHz μ-law for a call). Needs the `espeak-ng` and `sox` programs.
 */
export function espeakTextToSpeech(options: { rate?: number } = {}): TextToSpeech {
  return {
    name: 'espeak-ng',
    async synthesize(input, format: AudioFormat) {
      const voice = VOICES[input.locale.slice(0, 2).toLowerCase()] ?? 'en-us';
      const ssml = input.ssml !== undefined;
      const words = input.ssml ?? input.text ?? '';
      const args = [
        '--stdout',
        '-v',
        voice,
        '-s',
        String(options.rate ?? 165),
        ...(ssml ? ['-m'] : []),
        '--stdin',
      ];
      const wav = await runProgram('espeak-ng', args, words);
      const encoding = format.encoding === 'mulaw' ? ['-e', 'mu-law'] : ['-e', 'signed', '-b', '16'];
      const rate = String(format.sampleRateHertz);
      // -R: sox's dither is then the same every time, so the same sentence is the same audio.
      return runProgram(
        'sox',
        ['-R', '-t', 'wav', '-', '-r', rate, '-c', '1', ...encoding, '-t', 'raw', '-'],
        wav,
      );
    },
  };
}
