import { languageTools, stripAccents, type LanguageTools } from './text';
import { smoothIdf } from './idf';
import { PhraseVectors, type PhraseVectorState } from './vectors/phrase-vectors';

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
  /**
   * Weight of the phrase-vector view (IDF-weighted mean of pretrained word vectors) where the
   * language has vectors; 0 turns it off. It carries meaning to words no training phrase used.
   */
  wordVectorWeight: number;
}

export const DEFAULT_FEATURES: FeatureConfig = {
  wordMaxN: 2,
  charMinN: 2,
  charMaxN: 5,
  charMinDf: 2,
  charWeight: 1,
  wordVectorWeight: 1.4,
};

type TermCounts = Map<string, number>;

interface Views {
  tokens: string[];
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
  const raw = tools.tokenize(text);
  const tokens = raw.map(foldDigits);
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
  return { tokens: raw, words, chars };
}

export type { PhraseVectorState };

export interface FeaturizerState {
  language: string;
  config: FeatureConfig;
  terms: string[];
  idf: number[];
  /** Absent in models trained without vectors (and in model files older than the view). */
  phraseVectors?: PhraseVectorState;
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
    private readonly phraseVectors: PhraseVectors | undefined,
  ) {
    this.tools = languageTools(language);
    this.vocab = new Map(terms.map((term, i) => [term, i]));
  }

  /** Sparse TF-IDF terms first, then the phrase vector's dimensions. */
  get size(): number {
    return this.terms.length + (this.phraseVectors?.dimensions ?? 0);
  }

  static fit(
    texts: readonly string[],
    language: string,
    config: FeatureConfig = DEFAULT_FEATURES,
  ): Featurizer {
    const tools = languageTools(language);
    const df = new Map<string, number>();
    const tokenDf = new Map<string, number>();
    for (const text of texts) {
      const { tokens, words, chars } = extractTerms(text, tools, config);
      for (const key of words.keys()) bump(df, key);
      for (const key of chars.keys()) bump(df, `c:${key}`);
      for (const token of new Set(tokens)) bump(tokenDf, token);
    }
    const terms: string[] = [];
    const idf: number[] = [];
    const n = texts.length;
    for (const [term, count] of df) {
      if (term.startsWith('c:') && count < config.charMinDf) continue;
      terms.push(term);
      idf.push(smoothIdf(n, count));
    }
    const phraseVectors = config.wordVectorWeight > 0 ? PhraseVectors.fit(tokenDf, n, language) : undefined;
    return new Featurizer(language, config, terms, Float32Array.from(idf), phraseVectors);
  }

  static fromState(state: FeaturizerState): Featurizer {
    // Model files from before the phrase-vector view have no weight for it: the view stays off.
    const config = {
      ...state.config,
      wordVectorWeight: state.phraseVectors ? state.config.wordVectorWeight : 0,
    };
    const phraseVectors = state.phraseVectors
      ? PhraseVectors.fromState(state.phraseVectors, state.language)
      : undefined;
    return new Featurizer(state.language, config, state.terms, Float32Array.from(state.idf), phraseVectors);
  }

  toState(): FeaturizerState {
    return {
      language: this.language,
      config: this.config,
      terms: this.terms,
      idf: Array.from(this.idf),
      ...(this.phraseVectors ? { phraseVectors: this.phraseVectors.state } : {}),
    };
  }

  transform(text: string): SparseVector {
    const { tokens, words, chars } = extractTerms(text, this.tools, this.config);
    const idx: number[] = [];
    const val: number[] = [];
    this.appendView(words, '', 1, idx, val);
    this.appendView(chars, 'c:', this.config.charWeight, idx, val);
    if (this.phraseVectors) {
      const vector = this.phraseVectors.embed(tokens, this.config.wordVectorWeight);
      const offset = this.terms.length;
      vector.forEach((v, d) => {
        if (v === 0) return;
        idx.push(offset + d);
        val.push(v);
      });
    }
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
