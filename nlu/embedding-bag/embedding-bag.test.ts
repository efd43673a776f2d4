import { BagEncoder } from './encoder';
import { bagLogits, DEFAULT_EMBEDDING_BAG, trainEmbeddingBag, type EmbeddingBagWeights } from './model';
import type { BagInput } from './encoder';
import { loadTable, storeTable } from './table-file';

const argmax = (scores: Float64Array): number => scores.indexOf(Math.max(...scores));

function crossEntropy(model: EmbeddingBagWeights, inputs: BagInput[], labels: Int32Array): number {
  let total = 0;
  inputs.forEach((input, i) => {
    const z = bagLogits(model, input);
    const max = Math.max(...z);
    const logSum = Math.log(z.reduce((s, v) => s + Math.exp(v - max), 0)) + max;
    total += logSum - z[labels[i]];
  });
  return total / inputs.length;
}

const PHRASES: [string, number][] = [
  ['i want a refund', 0],
  ['can i get my money back', 0],
  ['refund my purchase please', 0],
  ['give me back my money', 0],
  ['where is my parcel', 1],
  ['track my delivery', 1],
  ['when will my package arrive', 1],
  ['my parcel has not arrived', 1],
];

describe('the embedding-bag encoder', () => {
  const encoder = BagEncoder.fit(
    PHRASES.map(([text]) => text),
    'en',
    64,
  );

  it('gives training tokens their own rows and word pairs a stable bucket after them', () => {
    if (!encoder) throw new Error('English has vectors');
    const tokens = encoder.state.tokens;
    const input = encoder.encode('track my parcel');
    const words = Array.from(input.ids.slice(0, 3));
    expect(words).toEqual(['track', 'my', 'parcel'].map((t) => tokens.indexOf(t)));
    const pairs = Array.from(input.ids.slice(3));
    expect(pairs).toHaveLength(2);
    pairs.forEach((row) => expect(row).toBeGreaterThanOrEqual(tokens.length));
    pairs.forEach((row) => expect(row).toBeLessThan(tokens.length + 64));
    // The same pair lands in the same bucket in any phrase, and in a model reloaded from its state.
    const again = BagEncoder.fromState(encoder.state, 'en').encode('please track my order');
    expect(again.ids).toContain(pairs[0]);
    expect(input.unseen).toBeNull();
    expect(input.count).toBe(5);
  });

  it('adds unseen words through their pretrained vectors, scaled by the seen-token share', () => {
    if (!encoder) throw new Error('English has vectors');
    const half = encoder.encode('refund reimbursement');
    const whole = encoder.encode('reimbursement');
    expect(half.count).toBe(3); // refund, reimbursement, and the pair
    expect(half.unseen).not.toBeNull();
    // Only unseen words: no direction is borrowed from them.
    expect(whole.unseen).toBeNull();
    expect(whole.ids).toHaveLength(0);
  });

  it('gives a small bot about four pair buckets per distinct pair, within the maximum', () => {
    if (!encoder) throw new Error('English has vectors');
    // Under 64 distinct pairs: the 256-bucket floor. A lower maximum still wins.
    expect(
      BagEncoder.fit(
        PHRASES.map(([text]) => text),
        'en',
        20_000,
      )?.state.pairBuckets,
    ).toBe(256);
    expect(encoder.state.pairBuckets).toBe(64);
  });

  it('is only built for languages with pretrained vectors', () => {
    expect(BagEncoder.fit(['dónde está mi pedido'], 'es', 64)).toBeUndefined();
    if (!encoder) throw new Error('English has vectors');
    expect(() => BagEncoder.fromState({ ...encoder.state, source: 'other-vectors' }, 'en')).toThrow(
      /other-vectors/,
    );
  });
});

describe('the embedding-bag classifier', () => {
  const fitted = BagEncoder.fit(
    PHRASES.map(([text]) => text),
    'en',
    4096,
  );
  if (!fitted) throw new Error('English has vectors');
  // More buckets than a bot this size gets, so that no word pair here shares a bucket by chance.
  const encoder = BagEncoder.fromState({ ...fitted.state, pairBuckets: 1 << 16 }, 'en');
  const inputs = PHRASES.map(([text]) => encoder.encode(text));
  const labels = Int32Array.from(PHRASES.map(([, label]) => label));
  const train = (epochs: number): EmbeddingBagWeights =>
    trainEmbeddingBag(inputs, labels, 2, encoder.initialTable(7), encoder.dimensions, {
      ...DEFAULT_EMBEDDING_BAG,
      epochs,
    });

  it('lowers the training loss and fits the training phrases', () => {
    const untrained = crossEntropy(train(0), inputs, labels);
    const trained = train(30);
    expect(untrained).toBeCloseTo(Math.log(2), 1);
    expect(crossEntropy(trained, inputs, labels)).toBeLessThan(untrained / 4);
    inputs.forEach((input, i) => expect(argmax(bagLogits(trained, input))).toBe(labels[i]));
  });

  it('is reproducible: the same seed gives the same weights', () => {
    expect(Array.from(train(3).weights)).toEqual(Array.from(train(3).weights));
  });

  it('places a synonym no phrase used through its pretrained vector', () => {
    const model = train(30);
    // "my" is in both intents, so only the unseen word's vector can tell these apart.
    const refund = encoder.encode('my reimbursement');
    const parcel = encoder.encode('my shipment');
    expect(argmax(bagLogits(model, refund))).toBe(0);
    expect(argmax(bagLogits(model, parcel))).toBe(1);
    expect(argmax(bagLogits(model, { ...refund, unseen: null }))).toBe(
      argmax(bagLogits(model, { ...parcel, unseen: null })),
    );
  });
});

describe('the embedding table in a model file', () => {
  const dimensions = 3;
  const table = Float32Array.from([0, 0, 0, 1.5, -2, 0.25, 0, 0, 0, 0, 0, 0, 7, 0, 0]);

  it('keeps only the rows training touched and gives the whole table back', () => {
    const stored = storeTable(table, dimensions);
    expect(Array.from(new Int32Array(Uint8Array.from(Buffer.from(stored.rows, 'base64')).buffer))).toEqual([
      1, 4,
    ]);
    expect(Array.from(loadTable(stored, 5, dimensions))).toEqual(Array.from(table));
  });

  it('refuses a table that does not fit the vocabulary', () => {
    const stored = storeTable(table, dimensions);
    expect(() => loadTable(stored, 4, dimensions)).toThrow(/does not match its vocabulary/);
    expect(() => loadTable({ ...stored, values: stored.values.slice(0, 16) }, 5, dimensions)).toThrow(
      /values do not match/,
    );
  });
});
