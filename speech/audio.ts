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

/** Every 16-bit sample's μ-law byte (64 KB), indexed by sample + 32768: encoding is one look-up per sample. */
let encodeTable: Uint8Array | undefined;

export function pcmToMulaw(pcm: Int16Array): Buffer {
  const table = (encodeTable ??= Uint8Array.from({ length: 65536 }, (_, i) => mulawEncodeSample(i - 32768)));
  const out = Buffer.allocUnsafe(pcm.length);
  for (let i = 0; i < pcm.length; i++) out[i] = table[pcm[i] + 32768];
  return out;
}

/** Little-endian 16-bit PCM bytes as samples (copied, so an odd offset in a pooled Buffer is safe). */
export function bytesToPcm(bytes: Uint8Array): Int16Array {
  const samples = new Int16Array(bytes.length >> 1);
  // On a little-endian machine the bytes are the samples: one copy.
  if (LITTLE_ENDIAN) {
    new Uint8Array(samples.buffer).set(bytes.subarray(0, samples.length * 2));
    return samples;
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let i = 0; i < samples.length; i++) samples[i] = view.getInt16(i * 2, true);
  return samples;
}

const LITTLE_ENDIAN = new Uint8Array(Uint16Array.of(1).buffer)[0] === 1;

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
/** At most this many distinct positions of an output sample between two input samples. */
const MAX_PHASES = 4096;

/**
 * A rate pair's low-pass taps for every phase, flat (phase × taps), built once: a call resamples every sentence
 * the bot says. Rates with a common divisor (22050 → 8000: 160 phases) get exact phases.
 */
interface ResampleFilter {
  ratio: number;
  span: number;
  taps: number;
  phases: number;
  table: Float64Array;
}

const filters = new Map<string, ResampleFilter>();

function filterFor(fromHz: number, toHz: number): ResampleFilter {
  if (!(fromHz > 0 && toHz > 0)) throw new RangeError(`bad sample rates ${fromHz} → ${toHz}`);
  const key = `${fromHz}:${toHz}`;
  const cached = filters.get(key);
  if (cached) return cached;
  const cutoff = Math.min(1, toHz / fromHz) * 0.97;
  const halfWidth = SINC_ZERO_CROSSINGS / cutoff;
  const span = Math.ceil(halfWidth);
  const taps = 2 * span + 1;
  const exact = toHz / gcd(fromHz, toHz);
  const phases = Number.isInteger(exact) && exact <= MAX_PHASES ? exact : MAX_PHASES;
  const table = new Float64Array(phases * taps);
  for (let phase = 0; phase < phases; phase++) {
    for (let j = -span; j <= span; j++) {
      const x = j - phase / phases;
      table[phase * taps + j + span] = cutoff * sinc(cutoff * x) * hann(x / halfWidth);
    }
  }
  const filter = { ratio: fromHz / toHz, span, taps, phases, table };
  if (filters.size >= 16) filters.clear();
  filters.set(key, filter);
  return filter;
}

function gcd(a: number, b: number): number {
  return b === 0 ? a : gcd(b, a % b);
}

/**
 * Windowed-sinc resampling between any two rates (8 ⇄ 16 kHz, 22.05 → 8 kHz). The low-pass sits at the
 * lower Nyquist frequency, so downsampling does not alias and upsampling leaves no images.
 */
export function resample(pcm: Int16Array, fromHz: number, toHz: number): Int16Array {
  if (fromHz === toHz) return pcm.slice();
  const filter = filterFor(fromHz, toHz);
  const out = new Int16Array(Math.floor((pcm.length * toHz) / fromHz));
  resampleInto(filter, pcm, pcm.length, out, 0, out.length);
  return out;
}

/**
 * Resampling of audio that arrives in pieces (a TTS engine's output as it is spoken), so the work is done
 * while the engine still runs: `push` returns the output samples the input so far fully determines, `end`
 * the rest. The concatenated output equals `resample` of the whole input.
 */
export class StreamingResampler {
  private readonly filter: ResampleFilter | undefined;
  private input = new Int16Array(4096);
  private length = 0;
  private produced = 0;

  constructor(
    private readonly fromHz: number,
    private readonly toHz: number,
  ) {
    this.filter = fromHz === toHz ? undefined : filterFor(fromHz, toHz);
  }

  push(samples: Int16Array): Int16Array {
    if (!this.filter) return samples.slice();
    if (this.length + samples.length > this.input.length) {
      const grown = new Int16Array(Math.max(this.input.length * 2, this.length + samples.length));
      grown.set(this.input.subarray(0, this.length));
      this.input = grown;
    }
    this.input.set(samples, this.length);
    this.length += samples.length;
    // Output n needs input up to floor(n × ratio) + span (+1 for a phase rounded up).
    const { ratio, span } = this.filter;
    const ready = Math.max(0, Math.floor((this.length - 2 - span) / ratio) + 1);
    return this.take(Math.min(ready, this.total()));
  }

  end(): Int16Array {
    return this.filter ? this.take(this.total()) : new Int16Array(0);
  }

  private total(): number {
    return Math.floor((this.length * this.toHz) / this.fromHz);
  }

  private take(upTo: number): Int16Array {
    if (!this.filter || upTo <= this.produced) return new Int16Array(0);
    const out = new Int16Array(upTo - this.produced);
    resampleInto(this.filter, this.input, this.length, out, this.produced, upTo);
    this.produced = upTo;
    return out;
  }
}

/** Output samples [from, to) of resampling the first `length` samples of `pcm`, into `out` from index 0. */
function resampleInto(
  filter: ResampleFilter,
  pcm: Int16Array,
  length: number,
  out: Int16Array,
  from: number,
  to: number,
): void {
  const { ratio, span, taps, phases, table } = filter;
  const lastSample = length - 1;
  for (let n = from; n < to; n++) {
    const center = n * ratio;
    let base = Math.floor(center);
    let phase = Math.round((center - base) * phases);
    if (phase === phases) {
      base += 1;
      phase = 0;
    }
    const first = base - span < 0 ? 0 : base - span;
    const last = base + span > lastSample ? lastSample : base + span;
    const offset = phase * taps + span - base;
    let sum = 0;
    for (let k = first; k <= last; k++) sum += pcm[k] * table[k + offset];
    out[n - from] = clamp16(sum);
  }
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

interface WavLayout {
  format: { channels: number; sampleRateHertz: number };
  dataStart: number;
  dataSize: number;
}

/** Walks a WAV's chunks to its data; undefined when `file` ends before the data chunk's header. */
function wavLayout(file: Buffer): WavLayout | undefined {
  if (file.length < 12) return undefined;
  if (file.toString('ascii', 0, 4) !== 'RIFF' || file.toString('ascii', 8, 12) !== 'WAVE')
    throw new Error('not a RIFF/WAVE file');
  let format: WavLayout['format'] | undefined;
  for (let at = 12; at + 8 <= file.length;) {
    const id = file.toString('ascii', at, at + 4);
    const size = file.readUInt32LE(at + 4);
    const body = at + 8;
    if (id === 'fmt ') {
      if (body + 16 > file.length) return undefined;
      const audioFormat = file.readUInt16LE(body);
      const bits = file.readUInt16LE(body + 14);
      if (audioFormat !== 1 || bits !== 16)
        throw new Error(`unsupported WAV: format ${audioFormat}, ${bits} bits (want 16-bit PCM)`);
      format = { channels: file.readUInt16LE(body + 2), sampleRateHertz: file.readUInt32LE(body + 4) };
    } else if (id === 'data') {
      if (!format) throw new Error('WAV data chunk before its fmt chunk');
      return { format, dataStart: body, dataSize: size };
    }
    at = body + size + (size % 2);
  }
  return undefined;
}

/**
 * Reads a 16-bit PCM WAV, walking its chunks (espeak-ng and sox add `LIST` chunks). A streamed WAV (espeak-ng
 * `--stdout`) carries a placeholder data size: the data then runs to the end of the file.
 */
export function readWav(file: Buffer): WavAudio {
  const layout = wavLayout(file);
  if (!layout) throw new Error(file.length < 12 ? 'not a RIFF/WAVE file' : 'WAV file has no data chunk');
  const { format, dataStart, dataSize } = layout;
  const end = Math.min(file.length, dataStart + dataSize);
  return { ...format, samples: bytesToPcm(file.subarray(dataStart, end - ((end - dataStart) % 2))) };
}

/**
 * Reads a 16-bit PCM WAV as it streams in (espeak-ng `--stdout`): `push` returns the whole samples received so
 * far past the header; `format` is known once the header has been read.
 */
export class WavStreamReader {
  format: WavLayout['format'] | undefined;
  private header = Buffer.alloc(0);
  private odd: number | undefined;

  push(chunk: Buffer): Int16Array {
    if (this.format) return this.samples(chunk);
    this.header = Buffer.concat([this.header, chunk]);
    const layout = wavLayout(this.header);
    if (!layout) return new Int16Array(0);
    this.format = layout.format;
    const rest = this.header.subarray(layout.dataStart);
    this.header = Buffer.alloc(0);
    return this.samples(rest);
  }

  private samples(chunk: Buffer): Int16Array {
    const bytes = this.odd === undefined ? chunk : Buffer.concat([Buffer.from([this.odd]), chunk]);
    const even = bytes.length - (bytes.length % 2);
    this.odd = even < bytes.length ? bytes[even] : undefined;
    return bytesToPcm(bytes.subarray(0, even));
  }
}
