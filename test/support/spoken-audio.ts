/**
 * Test audio of a caller saying something: espeak-ng speaks it, sox converts it (as a telephone would carry
 * it: 8 kHz μ-law, or 16 kHz 16-bit PCM). Independent of Parley's own audio code, so tests of that code are
 * not circular.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export type SpokenFormat = 'mulaw-8k' | 'linear16-16k';

export function spokenAudio(text: string, format: SpokenFormat = 'mulaw-8k', padMs = 0): Buffer {
  const dir = mkdtempSync(join(tmpdir(), 'parley-spoken-'));
  try {
    const wav = join(dir, 'speech.wav');
    const raw = join(dir, 'speech.raw');
    execFileSync('espeak-ng', ['-w', wav, text]);
    const target =
      format === 'mulaw-8k'
        ? ['-r', '8000', '-e', 'mu-law', '-b', '8']
        : ['-r', '16000', '-e', 'signed', '-b', '16'];
    const pad = padMs > 0 ? ['pad', String(padMs / 1000), String(padMs / 1000)] : [];
    execFileSync('sox', [wav, '-c', '1', ...target, '-t', 'raw', raw, ...pad]);
    return readFileSync(raw);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Splits audio into 20 ms frames, as Twilio Media Streams sends it. */
export function frames(audio: Buffer, bytesPerFrame = 160): Buffer[] {
  const out: Buffer[] = [];
  for (let at = 0; at < audio.length; at += bytesPerFrame) out.push(audio.subarray(at, at + bytesPerFrame));
  return out;
}
