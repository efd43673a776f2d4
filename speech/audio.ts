/**
 * Audio plumbing for voice channels: G.711 μ-law ⇄ 16-bit PCM, resampling, and WAV files. Telephone audio is
 * 8 kHz μ-law (Twilio Media Streams); recognisers want 16 kHz PCM; espeak-ng speaks at 22.05 kHz.
 */
import type { AudioFormat } from '../core/speech';

const MULAW_BIAS = 0x84;
const MULAW_CLIP = 32635;

/** One 16-bit sample to a G.711 μ-law byte (sign, 3-bit segment, 4-bit step, all bits inverted). */
export function mulawEncodeSample(sample: number): number {
  let magnitude = Math.round(sample);
  const sign = magnitude < 0 ? 0x80 : 0;
  if (sign) magnitude = -magnitude;
  if (magnitude > MULAW_CLIP) magnitude = MULAW_CLIP;
  magnitude += MULAW_BIAS;
  let segment = 7;
  for (let mask = 0x4000; (magnitude & mask) === 0 && segment > 0; mask >>= 1) segment--;
  const step = (magnitude >> (segment + 3)) & 0x0f;
  return ~(sign | (segment << 4) | step) & 0xff;
}

/** One G.711 μ-law byte to its 16-bit sample. */
export function mulawDecodeSample(byte: number): number {
  const u = ~byte & 0xff;
  const segment = (u >> 4) & 0x07;
  const magnitude = ((((u & 0x0f) << 3) + MULAW_BIAS) << segment) - MULAW_BIAS;
  return u & 0x80 ? 0 - magnitude : magnitude; // no -0 for the negative zero code
}

const DECODE_TABLE = Int16Array.from({ length: 256 }, (_, byte) => mulawDecodeSample(byte));

export function mulawToPcm(mulaw: Uint8Array): Int16Array {
  const pcm = new Int16Array(mulaw.length);
  for (let i = 0; i < mulaw.length; i++) pcm[i] = DECODE_TABLE[mulaw[i]];
  return pcm;
}

export function pcmToMulaw(pcm: Int16Array): Buffer {
  const out = Buffer.alloc(pcm.length);
  for (let i = 0; i < pcm.length; i++) out[i] = mulawEncodeSample(pcm[i]);
  return out;
}

/** Little-endian 16-bit PCM bytes as samples (copied, so an odd offset in a pooled Buffer is safe). */
export function bytesToPcm(bytes: Uint8Array): Int16Array {
  const samples = new Int16Array(bytes.length >> 1);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let i = 0; i < samples.length; i++) samples[i] = view.getInt16(i * 2, true);
  return samples;
}

export function pcmToBytes(pcm: Int16Array): Buffer {
  const out = Buffer.alloc(pcm.length * 2);
  for (let i = 0; i < pcm.length; i++) out.writeInt16LE(pcm[i], i * 2);
  return out;
}

/** Audio in either port encoding, as 16-bit samples. */
export function decodeAudio(audio: Uint8Array, encoding: AudioFormat['encoding']): Int16Array {
  return encoding === 'mulaw' ? mulawToPcm(audio) : bytesToPcm(audio);
}

export function encodeAudio(pcm: Int16Array, encoding: AudioFormat['encoding']): Buffer {
  return encoding === 'mulaw' ? pcmToMulaw(pcm) : pcmToBytes(pcm);
}

const SINC_ZERO_CROSSINGS = 12;

/**
 * Windowed-sinc resampling between any two rates (8 ⇄ 16 kHz, 22.05 → 8 kHz). The low-pass sits at the
 * lower Nyquist frequency, so downsampling does not alias and upsampling leaves no images.
 */
export function resample(pcm: Int16Array, fromHz: number, toHz: number): Int16Array {
  if (fromHz === toHz) return pcm.slice();
  if (!(fromHz > 0 && toHz > 0)) throw new RangeError(`bad sample rates ${fromHz} → ${toHz}`);
  const ratio = fromHz / toHz;
  const cutoff = Math.min(1, toHz / fromHz) * 0.97;
  const halfWidth = SINC_ZERO_CROSSINGS / cutoff;
  const outLength = Math.floor((pcm.length * toHz) / fromHz);
  const out = new Int16Array(outLength);
  // The taps depend only on where the output falls between input samples: few phases for common rates.
  const kernels = new Map<number, Float64Array>();
  const span = Math.ceil(halfWidth);
  for (let n = 0; n < outLength; n++) {
    const center = n * ratio;
    const base = Math.floor(center);
    const phase = Math.round((center - base) * 4096);
    let kernel = kernels.get(phase);
    if (!kernel) {
      kernel = new Float64Array(2 * span + 1);
      for (let j = -span; j <= span; j++) {
        const x = j - phase / 4096;
        kernel[j + span] = cutoff * sinc(cutoff * x) * hann(x / halfWidth);
      }
      kernels.set(phase, kernel);
    }
    let sum = 0;
    const first = Math.max(0, base - span);
    const last = Math.min(pcm.length - 1, base + span);
    for (let k = first; k <= last; k++) sum += pcm[k] * kernel[k - base + span];
    out[n] = clamp16(sum);
  }
  return out;
}

function sinc(x: number): number {
  if (x === 0) return 1;
  const px = Math.PI * x;
  return Math.sin(px) / px;
}

/** Hann window over [-1, 1]. */
function hann(t: number): number {
  return Math.abs(t) >= 1 ? 0 : 0.5 + 0.5 * Math.cos(Math.PI * t);
}

export function clamp16(value: number): number {
  return Math.max(-32768, Math.min(32767, Math.round(value)));
}

/** Root-mean-square level of samples, 0..32768. */
export function rms(pcm: Int16Array, start = 0, end = pcm.length): number {
  if (end <= start) return 0;
  let sum = 0;
  for (let i = start; i < end; i++) sum += pcm[i] * pcm[i];
  return Math.sqrt(sum / (end - start));
}

export interface WavAudio {
  sampleRateHertz: number;
  channels: number;
  /** Interleaved when channels > 1. */
  samples: Int16Array;
}

/** A 16-bit PCM RIFF/WAVE file (what pocketsphinx reads). */
export function writeWav(samples: Int16Array, sampleRateHertz: number, channels = 1): Buffer {
  const data = pcmToBytes(samples);
  const header = Buffer.alloc(44);
  header.write('RIFF', 0, 'ascii');
  header.writeUInt32LE(36 + data.length, 4);
  header.write('WAVE', 8, 'ascii');
  header.write('fmt ', 12, 'ascii');
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(1, 20); // PCM
  header.writeUInt16LE(channels, 22);
  header.writeUInt32LE(sampleRateHertz, 24);
  header.writeUInt32LE(sampleRateHertz * channels * 2, 28);
  header.writeUInt16LE(channels * 2, 32);
  header.writeUInt16LE(16, 34);
  header.write('data', 36, 'ascii');
  header.writeUInt32LE(data.length, 40);
  return Buffer.concat([header, data]);
}

/**
 * Reads a 16-bit PCM WAV, walking its chunks (espeak-ng and sox add `LIST` chunks). A streamed WAV (espeak-ng
 * `--stdout`) carries a placeholder data size: the data then runs to the end of the file.
 */
export function readWav(file: Buffer): WavAudio {
  if (file.length < 12 || file.toString('ascii', 0, 4) !== 'RIFF' || file.toString('ascii', 8, 12) !== 'WAVE')
    throw new Error('not a RIFF/WAVE file');
  let format: { channels: number; sampleRateHertz: number } | undefined;
  for (let at = 12; at + 8 <= file.length;) {
    const id = file.toString('ascii', at, at + 4);
    const size = file.readUInt32LE(at + 4);
    const body = at + 8;
    if (id === 'fmt ') {
      const audioFormat = file.readUInt16LE(body);
      const bits = file.readUInt16LE(body + 14);
      if (audioFormat !== 1 || bits !== 16)
        throw new Error(`unsupported WAV: format ${audioFormat}, ${bits} bits (want 16-bit PCM)`);
      format = { channels: file.readUInt16LE(body + 2), sampleRateHertz: file.readUInt32LE(body + 4) };
    } else if (id === 'data') {
      if (!format) throw new Error('WAV data chunk before its fmt chunk');
      const end = Math.min(file.length, body + size);
      return { ...format, samples: bytesToPcm(file.subarray(body, end - ((end - body) % 2))) };
    }
    at = body + size + (size % 2);
  }
  throw new Error('WAV file has no data chunk');
}
