import type { WordVectors } from './word-vectors';

const SUFFIXES: [RegExp, string][] = [
  [/n't$/, 'not'],
  [/'m$/, 'am'],
  [/'re$/, 'are'],
  [/'ve$/, 'have'],
  [/'ll$/, 'will'],
  [/'d$/, 'would'],
  [/'s$/, ''],
];
const IRREGULAR_HEADS: Record<string, string> = { ca: 'can', wo: 'will', sha: 'shall' };

/**
 * The vocabulary words a customer's token stands for: itself when known, else its parts
 * ("didn't" -> did + not, "top-up" -> top + up). GloVe's vocabulary has no contractions.
 */
export function lookupWords(token: string, vectors: WordVectors): string[] {
  if (vectors.has(token)) return [token];
  for (const [suffix, expansion] of SUFFIXES) {
    if (!suffix.test(token)) continue;
    const head = token.replace(suffix, '');
    return [IRREGULAR_HEADS[head] ?? head, expansion].filter((w) => w && vectors.has(w));
  }
  if (token.includes('-')) return token.split('-').filter((w) => w && vectors.has(w));
  return [];
}

/**
 * A phrase as the IDF-weighted mean of its words' vectors, L2-normalised and scaled by `weight`.
 * It lets "reimbursement" land near "refund" though only one was in the training phrases.
 */
export function embedTokens(
  tokens: readonly string[],
  vectors: WordVectors,
  idfOf: (token: string) => number,
  weight: number,
): Float32Array {
  const sum = new Float64Array(vectors.dimensions);
  for (const token of tokens) {
    const idf = idfOf(token);
    for (const word of lookupWords(token, vectors)) vectors.addTo(word, idf, sum);
  }
  let norm = 0;
  for (const v of sum) norm += v * v;
  const scale = norm > 0 ? weight / Math.sqrt(norm) : 0;
  return Float32Array.from(sum, (v) => v * scale);
}
