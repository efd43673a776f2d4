import { smoothIdf } from '../idf';
import { loadPretrainedVectors, vectorSourceFor, vectorsOfModel } from './pretrained';
import { embedTokens } from './sentence';
import type { WordVectors } from './word-vectors';

/** The phrase-vector view: which vectors, and the IDF of the training tokens that weights them. */
export interface PhraseVectorState {
  source: string;
  tokens: string[];
  idf: number[];
  unseenIdf: number;
}

/** The phrase-vector view of a featurizer: pretrained vectors weighted by the training tokens' IDF. */
export class PhraseVectors {
  private readonly idf: Map<string, number>;

  constructor(
    readonly state: PhraseVectorState,
    private readonly vectors: WordVectors,
  ) {
    this.idf = new Map(state.tokens.map((token, i) => [token, state.idf[i]]));
  }

  get dimensions(): number {
    return this.vectors.dimensions;
  }

  /** `tokenDf`: in how many of the `phrases` training phrases each token occurs. */
  static fit(
    tokenDf: ReadonlyMap<string, number>,
    phrases: number,
    language: string,
  ): PhraseVectors | undefined {
    const source = vectorSourceFor(language);
    if (!source) return undefined;
    const tokens = [...tokenDf.keys()];
    const state: PhraseVectorState = {
      source: source.id,
      tokens,
      idf: tokens.map((t) => smoothIdf(phrases, tokenDf.get(t) ?? 0)),
      unseenIdf: smoothIdf(phrases, 0),
    };
    return new PhraseVectors(state, loadPretrainedVectors(source));
  }

  static fromState(state: PhraseVectorState, language: string): PhraseVectors {
    return new PhraseVectors(state, vectorsOfModel(state.source, language));
  }

  embed(tokens: readonly string[], weight: number): Float32Array {
    // Scaled by the share of tokens seen in training: a phrase of only unseen words ("purple
    // monkey dishwasher") keeps the sparse views' weak evidence instead of a confident dense vector.
    const known = tokens.filter((t) => this.idf.has(t)).length;
    const gate = tokens.length > 0 ? known / tokens.length : 0;
    return embedTokens(tokens, this.vectors, (t) => this.idf.get(t) ?? this.state.unseenIdf, weight * gate);
  }
}
