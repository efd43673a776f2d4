import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { IntentClassifier, DEFAULT_CLASSIFIER } from '../classifier';
import { DEFAULT_FEATURES, Featurizer } from '../features';
import { ENGLISH_GLOVE, loadPretrainedVectors } from './pretrained';
import { embedTokens, lookupWords } from './sentence';
import { readWinkVectors } from './wink-reader';
import { WordVectors } from './word-vectors';

const small = (): WordVectors =>
  WordVectors.quantise(3, [
    ['did', [1, 0, 0]],
    ['not', [0, 1, 0]],
    ['top', [0, 0, 2]],
    ['up', [0, -0.5, 0]],
  ]);

describe('word vectors', () => {
  it('keeps each vector within half a quantisation step and survives a binary round trip', () => {
    const original = [0.31, -1.27, 0.002, 0.9];
    const vectors = WordVectors.fromBuffer(WordVectors.quantise(4, [['refund', original]]).toBuffer());
    const step = 1.27 / 127;
    const got = Array.from(vectors.vector('refund') ?? []);
    got.forEach((v, d) => expect(Math.abs(v - original[d])).toBeLessThanOrEqual(step / 2 + 1e-7));
    expect(vectors.vector('banana')).toBeUndefined();
  });

  it('refuses a truncated file', () => {
    const buffer = small().toBuffer();
    expect(() => WordVectors.fromBuffer(buffer.subarray(0, buffer.length - 1))).toThrow(/truncated/);
  });

  it('looks up contractions and hyphenated words by their parts', () => {
    const vectors = small();
    expect(lookupWords("didn't", vectors)).toEqual(['did', 'not']);
    expect(lookupWords('top-up', vectors)).toEqual(['top', 'up']);
    expect(lookupWords('did', vectors)).toEqual(['did']);
    expect(lookupWords('zzz', vectors)).toEqual([]);
  });

  it('embeds a phrase as the IDF-weighted mean, normalised to the weight', () => {
    const vectors = small();
    const idf = (t: string): number => (t === 'did' ? 3 : 1);
    // did: 3·(1,0,0), not: 1·(0,1,0) -> (3,1,0)/√10, times 2
    const v = Array.from(embedTokens(['did', 'not', 'zzz'], vectors, idf, 2));
    expect(v[0]).toBeCloseTo((2 * 3) / Math.sqrt(10), 5);
    expect(v[1]).toBeCloseTo((2 * 1) / Math.sqrt(10), 5);
    expect(v[2]).toBe(0);
    expect(Array.from(embedTokens(['zzz'], vectors, idf, 2))).toEqual([0, 0, 0]);
  });
});

describe('reading the wink embeddings file', () => {
  // The real file is 300 MB; this one has its shape: a word list, then {"word":[v..., norm, index]}.
  const file = join(mkdtempSync(join(tmpdir(), 'parley-vectors-')), 'vectors.json');
  writeFileSync(
    file,
    JSON.stringify({
      precision: 8,
      words: ['the', 'say "hi"', 'refund'],
      vectors: { the: [0.5, -0.25, 0.6, 0], 'say "hi"': [1, 2, 2.2, 1], refund: [-3, 0, 3, 2] },
      unkVector: [0, 0, -1],
    }),
  );

  it('keeps the first words in file order, whatever the chunk size', () => {
    for (const chunkBytes of [5, 64, 1 << 22]) {
      const vectors = readWinkVectors(file, 2, 2, chunkBytes);
      expect(vectors.words).toEqual(['the', 'say "hi"']);
      const [a, b] = Array.from(vectors.vector('say "hi"') ?? []);
      expect(a).toBeCloseTo(1, 1); // within half a quantisation step of 2/127
      expect(b).toBeCloseTo(2, 5);
    }
    expect(readWinkVectors(file, 2, 10).words).toEqual(['the', 'say "hi"', 'refund']);
  });

  it('names the file when it is not a vectors file', () => {
    const other = join(mkdtempSync(join(tmpdir(), 'parley-vectors-')), 'other.json');
    writeFileSync(other, '{"words":["a"]}');
    expect(() => readWinkVectors(other, 2, 10)).toThrow(`${other}: no "vectors" object`);
  });
});

describe('the phrase-vector view', () => {
  const phrases = [
    ...['i want my money back', 'refund please', 'give me a refund for this', 'can i get a refund'].map(
      (text) => ({ text, intent: 'refund' }),
    ),
    ...[
      'where is my parcel',
      'track my package',
      'when will my delivery arrive',
      'parcel still not here',
    ].map((text) => ({ text, intent: 'delivery' })),
  ];
  // The view alone: the embedding bag also reads the vectors (it has tests of its own).
  const configWith = (wordVectorWeight: number) => ({
    ...DEFAULT_CLASSIFIER,
    features: { ...DEFAULT_FEATURES, wordVectorWeight },
    // The phrase-vector view alone: no bag, and no familiarity discount on either model.
    embeddingBag: null,
    familiarity: null,
  });
  const confidence = (model: IntentClassifier, text: string, intent: string): number =>
    model.rank(text).find((r) => r.name === intent)?.confidence ?? 0;

  it('loads the 100k most frequent English words from the npm package', () => {
    const vectors = loadPretrainedVectors(ENGLISH_GLOVE);
    expect(vectors.size).toBe(ENGLISH_GLOVE.words);
    expect(vectors.dimensions).toBe(100);
    const cos = (a: string, b: string): number => {
      const x = vectors.vector(a) ?? new Float32Array(100);
      const y = vectors.vector(b) ?? new Float32Array(100);
      let dot = 0;
      let nx = 0;
      let ny = 0;
      x.forEach((v, d) => {
        dot += v * y[d];
        nx += v * v;
        ny += y[d] * y[d];
      });
      return dot / Math.sqrt(nx * ny);
    };
    expect(cos('refund', 'reimbursement')).toBeGreaterThan(cos('refund', 'parcel') + 0.2);
  });

  it('carries meaning to words no training phrase used', async () => {
    const withVectors = await IntentClassifier.train(
      phrases,
      'en',
      configWith(DEFAULT_FEATURES.wordVectorWeight),
    );
    const without = await IntentClassifier.train(phrases, 'en', configWith(0));
    const text = 'i would like a reimbursement';
    expect(withVectors.rank(text)[0].name).toBe('refund');
    expect(confidence(withVectors, text, 'refund')).toBeGreaterThan(confidence(without, text, 'refund'));
  });

  it('adds nothing for a phrase made only of words never seen in training', () => {
    const featurizer = Featurizer.fit(
      phrases.map((p) => p.text),
      'en',
    );
    const sparseOnly = Featurizer.fit(
      phrases.map((p) => p.text),
      'en',
      { ...DEFAULT_FEATURES, wordVectorWeight: 0 },
    );
    const terms = sparseOnly.size;
    expect(featurizer.size).toBe(terms + 100);
    expect(Array.from(featurizer.transform('purple monkey dishwasher').idx).every((i) => i < terms)).toBe(
      true,
    );
    expect(Array.from(featurizer.transform('my parcel').idx).some((i) => i >= terms)).toBe(true);
  });

  it('is stored with the model and refused when the vectors are not the ones it was trained with', () => {
    const featurizer = Featurizer.fit(
      phrases.map((p) => p.text),
      'en',
    );
    const state = featurizer.toState();
    expect(state.phraseVectors?.source).toBe(ENGLISH_GLOVE.id);
    const again = Featurizer.fromState(JSON.parse(JSON.stringify(state)));
    expect(Array.from(again.transform('a refund for my parcel').val)).toEqual(
      Array.from(featurizer.transform('a refund for my parcel').val),
    );
    const foreign = { ...state, phraseVectors: { ...state.phraseVectors!, source: 'fasttext-300d' } };
    expect(() => Featurizer.fromState(foreign)).toThrow(/word vectors "fasttext-300d"/);
  });

  it('is off for languages without vectors and for model files from before it', () => {
    expect(Featurizer.fit(['dónde está mi pedido'], 'es').toState().phraseVectors).toBeUndefined();
    const state = Featurizer.fit(['where is my order'], 'en').toState();
    const old = { ...state, config: { ...state.config, wordVectorWeight: undefined as unknown as number } };
    delete old.phraseVectors;
    const loaded = Featurizer.fromState(old);
    expect(loaded.size).toBe(state.terms.length);
  });
});
