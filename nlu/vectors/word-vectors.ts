/**
 * Writes one vector as signed bytes at `codes[offset..]` and returns its scale: the largest
 * magnitude maps to ±127.
 */
export function quantiseRow(
  values: ArrayLike<number>,
  dimensions: number,
  codes: Int8Array,
  offset: number,
): number {
  let max = 0;
  for (let d = 0; d < dimensions; d++) max = Math.max(max, Math.abs(values[d]));
  const scale = max === 0 ? 1 : max / 127;
  for (let d = 0; d < dimensions; d++) codes[offset + d] = Math.round(values[d] / scale);
  return scale;
}

/**
 * Pretrained word vectors held compactly: one signed byte per dimension and one scale per word,
 * so 100k English words of 100 dimensions take 10 MB instead of 40.
 */
export class WordVectors {
  private readonly index: Map<string, number>;

  constructor(
    readonly dimensions: number,
    readonly words: readonly string[],
    private readonly codes: Int8Array,
    private readonly scales: Float32Array,
  ) {
    if (codes.length !== words.length * dimensions || scales.length !== words.length) {
      throw new Error('word vectors: codes and scales do not match the word list');
    }
    this.index = new Map(words.map((word, i) => [word, i]));
  }

  get size(): number {
    return this.words.length;
  }

  has(word: string): boolean {
    return this.index.has(word);
  }

  /** Adds `weight` times the word's vector to `into`; false when the word is unknown. */
  addTo(word: string, weight: number, into: Float64Array): boolean {
    const row = this.index.get(word);
    if (row === undefined) return false;
    const scale = this.scales[row] * weight;
    const base = row * this.dimensions;
    for (let d = 0; d < this.dimensions; d++) into[d] += this.codes[base + d] * scale;
    return true;
  }

  vector(word: string): Float32Array | undefined {
    const sum = new Float64Array(this.dimensions);
    return this.addTo(word, 1, sum) ? Float32Array.from(sum) : undefined;
  }

  /** Quantises float vectors row by row (`quantiseRow`). */
  static quantise(dimensions: number, entries: Iterable<[string, ArrayLike<number>]>): WordVectors {
    const rows = [...entries];
    const codes = new Int8Array(rows.length * dimensions);
    const scales = new Float32Array(rows.length);
    rows.forEach(([word, values], row) => {
      if (values.length !== dimensions)
        throw new Error(`word vectors: "${word}" has ${values.length} dimensions`);
      scales[row] = quantiseRow(values, dimensions, codes, row * dimensions);
    });
    return new WordVectors(
      dimensions,
      rows.map(([word]) => word),
      codes,
      scales,
    );
  }

  /**
   * Binary layout: u32 header length, JSON header {dimensions, words} padded to 4 bytes, f32
   * scales, i8 codes. The padding lets a loaded file be used in place, without a copy.
   */
  toBuffer(): Buffer {
    const json = Buffer.from(JSON.stringify({ dimensions: this.dimensions, words: this.words }), 'utf8');
    const headerLength = Math.ceil(json.length / 4) * 4;
    const out = Buffer.alloc(4 + headerLength + this.scales.byteLength + this.codes.byteLength, 0x20);
    out.writeUInt32LE(headerLength, 0);
    json.copy(out, 4);
    let at = 4 + headerLength;
    Buffer.from(this.scales.buffer, this.scales.byteOffset, this.scales.byteLength).copy(out, at);
    at += this.scales.byteLength;
    Buffer.from(this.codes.buffer, this.codes.byteOffset, this.codes.byteLength).copy(out, at);
    return out;
  }

  static fromBuffer(buffer: Buffer): WordVectors {
    const headerLength = buffer.readUInt32LE(0);
    const header = JSON.parse(buffer.subarray(4, 4 + headerLength).toString('utf8')) as {
      dimensions: number;
      words: string[];
    };
    const count = header.words.length;
    const at = 4 + headerLength;
    if (at + count * 4 + count * header.dimensions !== buffer.length) {
      throw new Error('word vectors: file is truncated or padded');
    }
    // A view needs 4-byte alignment; a buffer that is not aligned (a slice of a pool) is copied.
    const aligned = (buffer.byteOffset + at) % 4 === 0 ? buffer : Buffer.from(buffer);
    const scales = new Float32Array(aligned.buffer, aligned.byteOffset + at, count);
    const codes = new Int8Array(
      aligned.buffer,
      aligned.byteOffset + at + count * 4,
      count * header.dimensions,
    );
    return new WordVectors(header.dimensions, header.words, codes, scales);
  }
}
