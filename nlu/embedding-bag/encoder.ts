import { languageTools, type LanguageTools } from '../text';
import { loadPretrainedVectors, vectorSourceFor, vectorsOfModel } from '../vectors/pretrained';
import { lookupWords } from '../vectors/sentence';
import type { WordVectors } from '../vectors/word-vectors';
import { seededRandom } from '../softmax';

/** What a model file keeps of the encoder: which vectors, the training tokens, how many pair buckets. */
export interface BagEncoderState {
  source: string;
  tokens: string[];
  pairBuckets: number;
}

/**
 * One phrase for the embedding bag: rows of the trainable table (training tokens and hashed
 * word pairs), plus the fixed pretrained vectors of words no training phrase used.
 */
export interface BagInput {
  ids: Int32Array;
  /** Sum of the unseen words' pretrained vectors, already scaled by the seen-token share; null if none. */
  unseen: Float32Array | null;
  /** How many terms the mean divides by: ids plus unseen words with vectors. */
  count: number;
}

const MIN_PAIR_BUCKETS = 256;

/** FNV-1a: a stable hash, so a model file means the same buckets in every process. */
function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** Turns phrases into embedding-bag inputs; the table's first rows are the training tokens. */
export class BagEncoder {
  private readonly index: Map<string, number>;
  private readonly tools: LanguageTools;

  constructor(
    readonly state: BagEncoderState,
    language: string,
    private readonly vectors: WordVectors,
  ) {
    this.index = new Map(state.tokens.map((token, i) => [token, i]));
    this.tools = languageTools(language);
  }

  /**
   * Only languages with pretrained vectors get an embedding bag: they are what it adds. A small
   * bot gets fewer pair buckets than `maxPairBuckets` (about four per distinct pair), which keeps
   * its model file small without more collisions.
   */
  static fit(texts: readonly string[], language: string, maxPairBuckets: number): BagEncoder | undefined {
    const source = vectorSourceFor(language);
    if (!source) return undefined;
    const tools = languageTools(language);
    const tokens = new Set<string>();
    const pairs = new Set<string>();
    for (const text of texts) {
      const words = tools.tokenize(text);
      words.forEach((token, i) => {
        tokens.add(token);
        if (i > 0) pairs.add(`${words[i - 1]} ${token}`);
      });
    }
    const wanted = 2 ** Math.ceil(Math.log2(Math.max(MIN_PAIR_BUCKETS, 4 * pairs.size)));
    const state = { source: source.id, tokens: [...tokens], pairBuckets: Math.min(maxPairBuckets, wanted) };
    return new BagEncoder(state, language, loadPretrainedVectors(source));
  }

  static fromState(state: BagEncoderState, language: string): BagEncoder {
    return new BagEncoder(state, language, vectorsOfModel(state.source, language));
  }

  get dimensions(): number {
    return this.vectors.dimensions;
  }

  /** Table rows: one per training token, then the word-pair buckets. */
  get rows(): number {
    return this.state.tokens.length + this.state.pairBuckets;
  }

  encode(text: string): BagInput {
    const tokens = this.tools.tokenize(text);
    const ids: number[] = [];
    const unseen = new Float64Array(this.dimensions);
    let unseenWords = 0;
    for (const token of tokens) {
      const row = this.index.get(token);
      if (row !== undefined) {
        ids.push(row);
        continue;
      }
      const words = lookupWords(token, this.vectors);
      for (const word of words) this.vectors.addTo(word, 1 / words.length, unseen);
      if (words.length > 0) unseenWords++;
    }
    const base = this.state.tokens.length;
    for (let i = 0; i + 1 < tokens.length; i++) {
      ids.push(base + (fnv1a(`${tokens[i]} ${tokens[i + 1]}`) % this.state.pairBuckets));
    }
    // As in the phrase-vector view: a phrase of only unseen words must not borrow a confident
    // direction from them ("purple monkey dishwasher" is not a greeting).
    const known = tokens.filter((t) => this.index.has(t)).length;
    const gate = tokens.length > 0 ? known / tokens.length : 0;
    return {
      ids: Int32Array.from(ids),
      unseen: unseenWords > 0 && gate > 0 ? Float32Array.from(unseen, (v) => v * gate) : null,
      count: ids.length + unseenWords,
    };
  }

  /**
   * The table training starts from: each training token's pretrained vector (contractions by
   * their parts), small noise for tokens without one, zeros for the word-pair buckets.
   */
  initialTable(seed: number): Float32Array {
    const d = this.dimensions;
    const table = new Float32Array(this.rows * d);
    const random = seededRandom(seed);
    const sum = new Float64Array(d);
    this.state.tokens.forEach((token, row) => {
      const words = lookupWords(token, this.vectors);
      sum.fill(0);
      for (const word of words) this.vectors.addTo(word, 1 / words.length, sum);
      for (let j = 0; j < d; j++) table[row * d + j] = words.length > 0 ? sum[j] : (random() - 0.5) * 0.1;
    });
    return table;
  }
}
