import { execFileSync } from 'node:child_process';
import {
  mulawDecodeSample,
  mulawEncodeSample,
  mulawToPcm,
  pcmToMulaw,
  readWav,
  resample,
  rms,
  StreamingResampler,
  WavStreamReader,
  writeWav,
} from './audio';
import { EnergyVad, type VadEvent } from './vad';

function tone(hz: number, rate: number, ms: number, amplitude = 8000): Int16Array {
  const n = Math.round((rate * ms) / 1000);
  return Int16Array.from({ length: n }, (_, i) =>
    Math.round(amplitude * Math.sin((2 * Math.PI * hz * i) / rate)),
  );
}

describe('G.711 μ-law', () => {
  it('decodes the table values of ITU-T G.711', () => {
    expect(mulawDecodeSample(0xff)).toBe(0);
    expect(mulawDecodeSample(0x7f)).toBe(0);
    expect(mulawDecodeSample(0x80)).toBe(32124);
    expect(mulawDecodeSample(0x00)).toBe(-32124);
    expect(mulawDecodeSample(0xf0)).toBe(120);
    expect(mulawDecodeSample(0xef)).toBe(132);
    expect(mulawDecodeSample(0x70)).toBe(-120);
    expect(mulawDecodeSample(0x8f)).toBe(16764);
  });

  it('encodes silence, full scale and segment edges', () => {
    expect(mulawEncodeSample(0)).toBe(0xff);
    expect(mulawEncodeSample(32767)).toBe(0x80);
    expect(mulawEncodeSample(-32768)).toBe(0x00);
    expect(mulawEncodeSample(120)).toBe(0xf0);
    expect(mulawEncodeSample(-120)).toBe(0x70);
  });

  it('round-trips every code: decode then encode gives the code back', () => {
    for (let code = 0; code < 256; code++) {
      if (code === 0x7f) continue; // negative zero encodes as positive zero
      expect(mulawEncodeSample(mulawDecodeSample(code))).toBe(code);
    }
  });

  it('matches sox on a ramp over the whole 16-bit range', () => {
    const ramp = Int16Array.from({ length: 4096 }, (_, i) => -32768 + i * 16);
    const raw = Buffer.from(ramp.buffer);
    const soxMulaw = execFileSync(
      'sox',
      [
        '-t',
        'raw',
        '-r',
        '8000',
        '-e',
        'signed',
        '-b',
        '16',
        '-c',
        '1',
        '-',
        '-t',
        'raw',
        '-e',
        'mu-law',
        '-',
      ],
      {
        input: raw,
      },
    );
    const mine = pcmToMulaw(ramp);
    let differing = 0;
    for (let i = 0; i < mine.length; i++) if (mine[i] !== soxMulaw[i]) differing++;
    // sox rounds at segment boundaries slightly differently; the codes may differ by one step there only.
    expect(differing / mine.length).toBeLessThan(0.02);
    const decoded = mulawToPcm(mine);
    for (let i = 0; i < ramp.length; i++)
      expect(Math.abs(decoded[i] - ramp[i])).toBeLessThanOrEqual(Math.abs(ramp[i]) / 16 + 8);
  });
});

describe('resample', () => {
  it('keeps a 1 kHz tone through 8 → 16 → 8 kHz', () => {
    const original = tone(1000, 8000, 200);
    const up = resample(original, 8000, 16000);
    expect(up.length).toBe(original.length * 2);
    expect(rms(up, 100, up.length - 100)).toBeCloseTo(rms(original), -2);
    const back = resample(up, 16000, 8000);
    let error = 0;
    for (let i = 50; i < back.length - 50; i++) error += Math.abs(back[i] - original[i]);
    expect(error / (back.length - 100)).toBeLessThan(120);
  });

  it('removes what the lower rate cannot carry instead of aliasing it', () => {
    const high = tone(6000, 16000, 200);
    const down = resample(high, 16000, 8000);
    expect(rms(down, 50, down.length - 50)).toBeLessThan(rms(high) * 0.05);
  });

  it('converts espeak-ng’s 22.05 kHz to 8 kHz', () => {
    const speech = tone(440, 22050, 100);
    const out = resample(speech, 22050, 8000);
    expect(out.length).toBe(Math.floor((speech.length * 8000) / 22050));
    expect(rms(out, 20, out.length - 20)).toBeGreaterThan(rms(speech) * 0.9);
  });
});

describe('WAV', () => {
  it('writes a file sox reads, and reads sox’s files back', () => {
    const samples = tone(300, 16000, 50);
    const wav = writeWav(samples, 16000);
    const info = execFileSync('soxi', ['-r', '-'], { input: wav }).toString();
    expect(info).toContain('16000');
    const fromSox = execFileSync('sox', ['-t', 'wav', '-', '-t', 'wav', '-r', '8000', '-'], { input: wav });
    const read = readWav(fromSox);
    expect(read.sampleRateHertz).toBe(8000);
    expect(read.channels).toBe(1);
    expect(read.samples.length).toBe(400);
    expect(readWav(wav).samples).toEqual(samples);
  });

  it('refuses what is not 16-bit PCM WAV', () => {
    expect(() => readWav(Buffer.from('not a wav file at all'))).toThrow('RIFF');
  });
});

describe('EnergyVad', () => {
  const rate = 8000;
  const silence = (ms: number) => new Int16Array((rate * ms) / 1000);

  function run(vad: EnergyVad, parts: Int16Array[]): VadEvent[] {
    // Feed in odd-sized chunks, as a socket would.
    const all = new Int16Array(parts.reduce((n, p) => n + p.length, 0));
    let at = 0;
    for (const part of parts) {
      all.set(part, at);
      at += part.length;
    }
    const events: VadEvent[] = [];
    for (let i = 0; i < all.length; i += 97) events.push(...vad.push(all.subarray(i, i + 97)));
    return events;
  }

  it('reports speech start and the end after 700 ms of silence', () => {
    const events = run(new EnergyVad({ sampleRateHertz: rate }), [
      silence(400),
      tone(200, rate, 600),
      silence(1000),
    ]);
    expect(events.map((e) => e.kind)).toEqual(['speech-start', 'speech-end']);
    expect(events[0].atMs).toBeGreaterThanOrEqual(380);
    expect(events[0].atMs).toBeLessThanOrEqual(420);
    expect(events[1].atMs).toBeGreaterThanOrEqual(1000 + 680);
    expect(events[1].atMs).toBeLessThanOrEqual(1000 + 720);
  });

  it('keeps one utterance through a pause shorter than the end silence', () => {
    const events = run(new EnergyVad({ sampleRateHertz: rate, endSilenceMs: 500 }), [
      tone(200, rate, 300),
      silence(300),
      tone(200, rate, 300),
      silence(600),
    ]);
    expect(events.map((e) => e.kind)).toEqual(['speech-start', 'speech-end']);
  });

  it('ignores a click shorter than the start time and steady line noise', () => {
    const noise = Int16Array.from({ length: rate * 2 }, (_, i) => ((i * 7919) % 401) - 200);
    const events = run(new EnergyVad({ sampleRateHertz: rate }), [tone(200, rate, 40, 20000), noise]);
    expect(events).toEqual([]);
  });
});

describe('streamed audio', () => {
  const speech = Int16Array.from({ length: 22050 }, (_, i) =>
    Math.round(9000 * Math.sin(i / 7) + 4000 * Math.sin(i / 2.3) + 500 * Math.cos(i * 1.7)),
  );

  it('resamples in pieces exactly as in one go', () => {
    const whole = resample(speech, 22050, 8000);
    const streaming = new StreamingResampler(22050, 8000);
    const parts: Int16Array[] = [];
    for (let at = 0; at < speech.length; at += 2048 + (at % 7))
      parts.push(streaming.push(speech.subarray(at, at + 2048 + (at % 7))));
    parts.push(streaming.end());
    const joined = Int16Array.from(parts.flatMap((part) => [...part]));
    expect(joined).toEqual(whole);
    expect(parts[0]?.length).toBeGreaterThan(0); // output came before the end
  });

  it('reads a WAV as it arrives, in chunks of any size (odd ones too)', () => {
    const wav = writeWav(speech, 22050);
    const reader = new WavStreamReader();
    const parts: Int16Array[] = [];
    for (let at = 0; at < wav.length; at += 333) parts.push(reader.push(wav.subarray(at, at + 333)));
    expect(reader.format).toEqual({ channels: 1, sampleRateHertz: 22050 });
    expect(Int16Array.from(parts.flatMap((part) => [...part]))).toEqual(speech);
  });

  it('refuses a stream that is no WAV', () => {
    expect(() => new WavStreamReader().push(Buffer.from('definitely not a wave file'))).toThrow(/RIFF/);
  });
});
