import { PorterStemmer } from 'natural/lib/natural/stemmers';
import { AggressiveTokenizer } from 'natural/lib/natural/tokenizers';
import { words as stopwords } from 'natural/lib/natural/util/stopwords';
import { smoothIdf } from './idf';

/** A sparse vector: term → weight. */
export type SparseVector = Map<string, number>;

const tokenizer = new AggressiveTokenizer();
const STOPWORDS = new Set(stopwords);

/** Lower-cased Porter stems of the content words (stop words and numbers dropped). */
export function terms(text: string): string[] {
  return tokenizer
    .tokenize(text.toLowerCase())
    .filter((token) => token.length > 1 && !STOPWORDS.has(token) && !/^\d+$/.test(token))
    .map((token) => PorterStemmer.stem(token));
}

/**
 * TF-IDF over a small corpus of documents (bags of terms). Term frequency is sub-linear (1 + ln tf) so a
 * customer repeating "down down down" does not outweigh everything else; IDF is smoothed so a term in
 * every document still counts a little. Vectors are L2-normalised, so `cosine` is a dot product.
 */
export class TfIdf {
  private readonly idf = new Map<string, number>();
  private readonly size: number;

  constructor(documents: readonly string[][]) {
    this.size = documents.length;
    const df = new Map<string, number>();
    for (const document of documents) {
      for (const term of new Set(document)) df.set(term, (df.get(term) ?? 0) + 1);
    }
    for (const [term, count] of df) this.idf.set(term, smoothIdf(this.size, count));
  }

  /** Terms never seen in the corpus get the highest IDF: rare words are the telling ones. */
  vector(document: readonly string[]): SparseVector {
    const tf = new Map<string, number>();
    for (const term of document) tf.set(term, (tf.get(term) ?? 0) + 1);
    const unseen = Math.log(1 + this.size) + 1;
    const vector: SparseVector = new Map();
    let norm = 0;
    for (const [term, count] of tf) {
      const weight = (1 + Math.log(count)) * (this.idf.get(term) ?? unseen);
      vector.set(term, weight);
      norm += weight * weight;
    }
    norm = Math.sqrt(norm);
    if (norm > 0) for (const [term, weight] of vector) vector.set(term, weight / norm);
    return vector;
  }
}

/** Cosine similarity of two L2-normalised sparse vectors. */
export function cosine(a: SparseVector, b: SparseVector): number {
  const [small, large] = a.size <= b.size ? [a, b] : [b, a];
  let dot = 0;
  for (const [term, weight] of small) dot += weight * (large.get(term) ?? 0);
  return dot;
}
