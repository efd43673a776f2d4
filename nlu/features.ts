import { languageTools, stripAccents, type LanguageTools } from './text';

/** A row of a sparse matrix: parallel arrays of feature indices and values. */
export interface SparseVector {
  idx: Int32Array;
  val: Float32Array;
}

/** How utterances become features. One default serves every bot and benchmark. */
export interface FeatureConfig {
  /** Word n-grams over stems, 1..wordMaxN. */
  wordMaxN: number;
  /** Character n-grams inside word boundaries, charMinN..charMaxN. */
  charMinN: number;
  charMaxN: number;
  /** Character n-grams seen in fewer phrases than this are noise and memory. */
  charMinDf: number;
  /** Relative weight of the character view against the word view (each is L2-normalised). */
  charWeight: number;
}

export const DEFAULT_FEATURES: FeatureConfig = {
  wordMaxN: 2,
  charMinN: 2,
  charMaxN: 5,
  charMinDf: 2,
  charWeight: 1,
};

type TermCounts = Map<string, number>;

interface Views {
  words: TermCounts;
  chars: TermCounts;
}

function bump(counts: TermCounts, key: string): void {
  counts.set(key, (counts.get(key) ?? 0) + 1);
}

/** Digits are folded so "A1001" and "A2417" look alike to the classifier. */
function foldDigits(token: string): string {
  return token.replace(/[0-9]/g, '0');
}

function extractTerms(text: string, tools: LanguageTools, config: FeatureConfig): Views {
  const tokens = tools.tokenize(text).map(foldDigits);
  const stems = tokens.map((t) => tools.stem(t));
  const words: TermCounts = new Map();
  for (let n = 1; n <= config.wordMaxN; n++) {
    for (let i = 0; i + n <= stems.length; i++) bump(words, `w${n}:${stems.slice(i, i + n).join(' ')}`);
  }
  const chars: TermCounts = new Map();
  for (const token of tokens) {
    const padded = ` ${stripAccents(token)} `;
    for (let n = config.charMinN; n <= config.charMaxN; n++) {
      for (let i = 0; i + n <= padded.length; i++) bump(chars, padded.slice(i, i + n));
    }
  }
  return { words, chars };
}

export interface FeaturizerState {
  language: string;
  config: FeatureConfig;
  terms: string[];
  idf: number[];
}

/** Turns text into TF-IDF vectors over a vocabulary learned from the training phrases. */
export class Featurizer {
  private readonly tools: LanguageTools;
  private readonly vocab: Map<string, number>;

  private constructor(
    readonly language: string,
    readonly config: FeatureConfig,
    private readonly terms: string[],
    private readonly idf: Float32Array,
  ) {
    this.tools = languageTools(language);
    this.vocab = new Map(terms.map((term, i) => [term, i]));
  }

  get size(): number {
    return this.terms.length;
  }

  static fit(
    texts: readonly string[],
    language: string,
    config: FeatureConfig = DEFAULT_FEATURES,
  ): Featurizer {
    const tools = languageTools(language);
    const df = new Map<string, number>();
    for (const text of texts) {
      const { words, chars } = extractTerms(text, tools, config);
      for (const key of words.keys()) bump(df, key);
      for (const key of chars.keys()) bump(df, `c:${key}`);
    }
    const terms: string[] = [];
    const idf: number[] = [];
    const n = texts.length;
    for (const [term, count] of df) {
      if (term.startsWith('c:') && count < config.charMinDf) continue;
      terms.push(term);
      idf.push(Math.log((1 + n) / (1 + count)) + 1);
    }
    return new Featurizer(language, config, terms, Float32Array.from(idf));
  }

  static fromState(state: FeaturizerState): Featurizer {
    return new Featurizer(state.language, state.config, state.terms, Float32Array.from(state.idf));
  }

  toState(): FeaturizerState {
    return { language: this.language, config: this.config, terms: this.terms, idf: Array.from(this.idf) };
  }

  transform(text: string): SparseVector {
    const { words, chars } = extractTerms(text, this.tools, this.config);
    const idx: number[] = [];
    const val: number[] = [];
    this.appendView(words, '', 1, idx, val);
    this.appendView(chars, 'c:', this.config.charWeight, idx, val);
    return { idx: Int32Array.from(idx), val: Float32Array.from(val) };
  }

  /** Sublinear TF times IDF, L2-normalised per view so long phrases do not dominate. */
  private appendView(counts: TermCounts, prefix: string, weight: number, idx: number[], val: number[]): void {
    const start = idx.length;
    let norm = 0;
    for (const [term, count] of counts) {
      const i = this.vocab.get(prefix + term);
      if (i === undefined) continue;
      const v = (1 + Math.log(count)) * this.idf[i];
      idx.push(i);
      val.push(v);
      norm += v * v;
    }
    if (norm === 0) return;
    const scale = weight / Math.sqrt(norm);
    for (let j = start; j < val.length; j++) val[j] *= scale;
  }
}
