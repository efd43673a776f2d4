/**
 * G.711 μ-law, the telephone's 8-bit audio (Twilio Media Streams: 8 kHz mono), and 16-bit PCM. Pure.
 * 20 ms of μ-law at 8 kHz is 160 bytes: one Media Streams frame.
 */

export const MULAW_RATE = 8000;
export const FRAME_MS = 20;
export const FRAME_BYTES = (MULAW_RATE * FRAME_MS) / 1000;

const BIAS = 0x84;
const CLIP = 32635;

/** One 16-bit sample as a μ-law byte. */
export function linearToMulaw(sample: number): number {
  let value = Math.max(-CLIP, Math.min(CLIP, Math.round(sample)));
  const sign = value < 0 ? 0x80 : 0;
  if (sign) value = -value;
  value += BIAS;
  let exponent = 7;
  for (let mask = 0x4000; (value & mask) === 0 && exponent > 0; mask >>= 1) exponent -= 1;
  const mantissa = (value >> (exponent + 3)) & 0x0f;
  return ~(sign | (exponent << 4) | mantissa) & 0xff;
}

/** One μ-law byte as a 16-bit sample. */
export function mulawToLinear(byte: number): number {
  const inverted = ~byte & 0xff;
  const exponent = (inverted >> 4) & 0x07;
  const magnitude = (((inverted & 0x0f) << 3) + BIAS) << exponent;
  return inverted & 0x80 ? BIAS - magnitude : magnitude - BIAS;
}

const DECODE = Int16Array.from({ length: 256 }, (_, byte) => mulawToLinear(byte));

/** μ-law bytes as little-endian 16-bit PCM. */
export function mulawToPcm16(mulaw: Buffer): Buffer {
  const pcm = Buffer.alloc(mulaw.length * 2);
  for (let i = 0; i < mulaw.length; i += 1) pcm.writeInt16LE(DECODE[mulaw[i] ?? 0xff] ?? 0, i * 2);
  return pcm;
}

/** Little-endian 16-bit PCM as μ-law bytes. */
export function pcm16ToMulaw(pcm: Buffer): Buffer {
  const out = Buffer.alloc(Math.floor(pcm.length / 2));
  for (let i = 0; i < out.length; i += 1) out[i] = linearToMulaw(pcm.readInt16LE(i * 2));
  return out;
}

/** Root-mean-square level of μ-law audio, 0..32767: what a simple voice-activity detector compares. */
export function mulawLevel(mulaw: Buffer): number {
  if (mulaw.length === 0) return 0;
  let sum = 0;
  for (const byte of mulaw) {
    const sample = DECODE[byte] ?? 0;
    sum += sample * sample;
  }
  return Math.sqrt(sum / mulaw.length);
}

/** Audio cut into 20 ms frames; the last one is padded with μ-law silence (0xff). */
export function toFrames(mulaw: Buffer, frameBytes = FRAME_BYTES): Buffer[] {
  const frames: Buffer[] = [];
  for (let offset = 0; offset < mulaw.length; offset += frameBytes) {
    const frame = Buffer.alloc(frameBytes, 0xff);
    mulaw.copy(frame, 0, offset, Math.min(offset + frameBytes, mulaw.length));
    frames.push(frame);
  }
  return frames;
}

/** μ-law silence of the given length. */
export function mulawSilence(ms: number): Buffer {
  return Buffer.alloc(Math.round((MULAW_RATE * ms) / 1000), 0xff);
}

/** A RIFF/WAVE file around 8 kHz mono μ-law (format 7), playable by any audio tool. */
export function mulawWav(mulaw: Buffer): Buffer {
  const header = Buffer.alloc(44);
  header.write('RIFF', 0, 'ascii');
  header.writeUInt32LE(36 + mulaw.length, 4);
  header.write('WAVEfmt ', 8, 'ascii');
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(7, 20);
  header.writeUInt16LE(1, 22);
  header.writeUInt32LE(MULAW_RATE, 24);
  header.writeUInt32LE(MULAW_RATE, 28);
  header.writeUInt16LE(1, 32);
  header.writeUInt16LE(8, 34);
  header.write('data', 36, 'ascii');
  header.writeUInt32LE(mulaw.length, 40);
  return Buffer.concat([header, mulaw]);
}

/** 16-bit PCM mono as a RIFF/WAVE file. */
export function pcm16Wav(pcm: Buffer, sampleRate: number): Buffer {
  const header = Buffer.alloc(44);
  header.write('RIFF', 0, 'ascii');
  header.writeUInt32LE(36 + pcm.length, 4);
  header.write('WAVEfmt ', 8, 'ascii');
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(1, 20);
  header.writeUInt16LE(1, 22);
  header.writeUInt32LE(sampleRate, 24);
  header.writeUInt32LE(sampleRate * 2, 28);
  header.writeUInt16LE(2, 32);
  header.writeUInt16LE(16, 34);
  header.write('data', 36, 'ascii');
  header.writeUInt32LE(pcm.length, 40);
  return Buffer.concat([header, pcm]);
}
