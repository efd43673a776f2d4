/**
 * Runs Debian's `pocketsphinx_continuous` on one utterance. It reads files only (a pipe as `-infile` does not
 * work), so each utterance becomes a temporary 16 kHz WAV.
 */
import { execFile } from 'node:child_process';
import { readFile, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { clamp16, resample, writeWav } from '../audio';

export const DEFAULT_MODEL_DIR = '/usr/share/pocketsphinx/model/en-us';

export interface RecognizerOptions {
  /** The binary; `pocketsphinx_continuous` on PATH by default. */
  binary?: string;
  /** Where temporary WAV files go. */
  workDir: string;
  /** Gives up on one utterance after this long. */
  timeoutMs?: number;
}

let fileCounter = 0;

/** Wide beams let a grammar path always finish (narrow ones return nothing on unclear telephone audio). */
const DECODER_ARGS = [
  '-logfn',
  '/dev/null',
  // Word lines with times and posteriors follow each hypothesis: the transcript's confidence.
  '-time',
  'yes',
  '-dither',
  'yes',
  '-beam',
  '1e-80',
  '-pbeam',
  '1e-80',
  '-wbeam',
  '1e-60',
];

/** What pocketsphinx heard: its words, and its least sure word's posterior (0..1) when it said any. */
export interface HeardWords {
  words: string[];
  confidence?: number;
}

/**
 * Recognises 16-bit samples at `sampleRateHertz` against a JSGF grammar file; resolves to the words heard
 * (empty when nothing in the grammar matched).
 */
export async function recognizeSamples(
  samples: Int16Array,
  sampleRateHertz: number,
  grammarFile: string,
  { binary = 'pocketsphinx_continuous', workDir, timeoutMs = 15_000 }: RecognizerOptions,
): Promise<HeardWords> {
  const wide = withNoiseFloor(sampleRateHertz === 16000 ? samples.slice() : widen(samples, sampleRateHertz));
  const file = join(workDir, `utterance-${process.pid}-${++fileCounter}.wav`);
  await writeFile(file, writeWav(wide, 16000));
  try {
    return parseOutput(
      await run(binary, ['-infile', file, '-jsgf', grammarFile, ...DECODER_ARGS], timeoutMs),
    );
  } finally {
    await unlink(file).catch(() => undefined);
  }
}

/** `-time yes` output: hypothesis lines, each followed by `word start end posterior` lines. */
export function parseOutput(stdout: string): HeardWords {
  const words: string[] = [];
  const posteriors: number[] = [];
  for (const line of stdout.split('\n')) {
    const fields = line.trim().split(/\s+/);
    const timed = fields.length === 4 && fields.slice(1).every((field) => /^-?[\d.]+(e-?\d+)?$/.test(field));
    if (timed) {
      if (!/^[<[]/.test(fields[0])) posteriors.push(Number(fields[3]));
      continue;
    }
    words.push(...fields.filter((word) => word.length > 0 && !/^[<[]/.test(word)).map(baseWord));
  }
  const confidence = posteriors.length > 0 && words.length > 0 ? Math.min(...posteriors) : undefined;
  return confidence === undefined ? { words } : { words, confidence };
}

/** `one(2)` is the dictionary's second pronunciation of "one". */
const baseWord = (word: string): string => word.replace(/\(\d+\)$/, '');

/**
 * Telephone audio to the 16 kHz the acoustic model was trained on. Upsampling leaves 4–8 kHz empty, and the
 * model's top filters then see nothing like what it was trained on: a hiss in that band only, well below the
 * speech, gives them a floor. On synthesised calls (bench/voice-wer.ts) this took sentence accuracy from
 * almost nil to about three in four.
 */
export function widen(samples: Int16Array, sampleRateHertz: number, hissLevel = 800): Int16Array {
  const wide = resample(samples, sampleRateHertz, 16000);
  if (sampleRateHertz >= 16000 || hissLevel <= 0) return wide;
  const noise = whiteNoise(wide.length, 10000);
  // What a round trip through the telephone's rate keeps is the low band; the rest is the high band.
  const lowBand = resample(resample(noise, 16000, sampleRateHertz), sampleRateHertz, 16000);
  for (let i = 0; i < wide.length; i++) {
    wide[i] = clamp16(wide[i] + ((noise[i] - (lowBand[i] ?? 0)) * hissLevel) / 10000);
  }
  return wide;
}

/**
 * Synthetic and gated audio has stretches of digital silence, whose log energy throws pocketsphinx's cepstral
 * mean off (it then hears "ta ta" for whole sentences): a faint noise floor, as any microphone has, fixes that.
 */
export function withNoiseFloor(samples: Int16Array, amplitude = 100): Int16Array {
  const noise = whiteNoise(samples.length, amplitude);
  for (let i = 0; i < samples.length; i++) samples[i] = clamp16(samples[i] + noise[i]);
  return samples;
}

/** Uniform noise from a fixed seed, so a recognition is repeatable. */
function whiteNoise(length: number, amplitude: number): Int16Array {
  const noise = new Int16Array(length);
  let seed = 0x2545f491;
  for (let i = 0; i < length; i++) {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    noise[i] = Math.round(((seed / 0x100000000) * 2 - 1) * amplitude);
  }
  return noise;
}

function run(binary: string, args: string[], timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(binary, args, { timeout: timeoutMs, maxBuffer: 1 << 20 }, (error, stdout) => {
      if (error) reject(new Error(`${binary} failed: ${error.message}`));
      else resolve(stdout);
    });
  });
}

/**
 * The words the acoustic model's dictionary can pronounce (`word` and `word(2)` lines), for the grammar.
 */
export async function loadDictionaryWords(modelDir = DEFAULT_MODEL_DIR): Promise<Set<string>> {
  const text = await readFile(join(modelDir, 'cmudict-en-us.dict'), 'utf8');
  const words = new Set<string>();
  for (const line of text.split('\n')) {
    const space = line.indexOf(' ');
    if (space > 0) words.add(line.slice(0, space).replace(/\(\d+\)$/, ''));
  }
  return words;
}
