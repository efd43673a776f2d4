import { DEFAULT_CLASSIFIER, IntentClassifier, type LabelledPhrase } from './classifier';
import type { SparseVector } from './features';
import { decodeFloats, decodeInts } from './floats';
import { closenessFactor, DenseCentroids, Familiarity, quantile, SparseCentroids } from './familiarity';

const sparse = (entries: [number, number][]): SparseVector => ({
  idx: Int32Array.from(entries.map(([f]) => f)),
  val: Float32Array.from(entries.map(([, v]) => v)),
});

describe('intent centres', () => {
  // Class 0: features 0 and 1; class 1: feature 2; class 2 stands for out_of_scope.
  const rows = [
    sparse([[0, 3]]),
    sparse([[1, 1]]),
    sparse([[2, 5]]),
    sparse([
      [0, 1],
      [3, 1],
    ]),
  ];
  const labels = Int32Array.from([0, 0, 1, 2]);
  const inScope = (c: number): boolean => c !== 2;
  const centres = SparseCentroids.fit([0, 1, 2, 3], (r) => rows[r], labels, 3, 4, inScope);

  it('averages unit-length rows, so a long phrase does not pull its class centre', () => {
    // Class 0's centre is (1, 1, 0, 0) / √2 although its first row is three times as long.
    expect(centres.closeness(sparse([[0, 2]]))).toBeCloseTo(Math.SQRT1_2, 6);
    expect(centres.closeness(sparse([[1, 7]]))).toBeCloseTo(Math.SQRT1_2, 6);
    expect(
      centres.closeness(
        sparse([
          [0, 1],
          [1, 1],
        ]),
      ),
    ).toBeCloseTo(1, 6);
  });

  it('takes the nearest centre, and gives out-of-scope phrases none', () => {
    // (1, 0, 1, 0)/√2 is 1/2 from class 0's centre and 1/√2 from class 1's.
    expect(
      centres.closeness(
        sparse([
          [0, 1],
          [2, 1],
        ]),
      ),
    ).toBeCloseTo(Math.SQRT1_2, 6);
    // Feature 3 appears only in the out_of_scope phrase.
    expect(centres.closeness(sparse([[3, 1]]))).toBe(0);
    expect(centres.closeness(sparse([[9, 1]]))).toBe(0);
    expect(centres.closeness(sparse([]))).toBe(0);
  });

  it('survives a model file and refuses one that does not fit', () => {
    const reloaded = SparseCentroids.fromState(centres.toState(), 3, 4);
    expect(reloaded.closeness(sparse([[0, 2]]))).toBeCloseTo(Math.SQRT1_2, 6);
    expect(() => SparseCentroids.fromState(centres.toState(), 3, 5)).toThrow(/intent centres/);
    expect(() => SparseCentroids.fromState(centres.toState(), 1, 4)).toThrow(/intent centres/);
  });

  it('measures dense vectors by cosine to the mean of each class', () => {
    const vectors = [
      [1, 0],
      [3, 4],
      [0, -1],
    ].map((v) => Float64Array.from(v));
    const dense = DenseCentroids.fit(
      [0, 1, 2],
      (r) => vectors[r],
      Int32Array.from([0, 0, 1]),
      2,
      2,
      () => true,
    );
    // Class 0's mean is (2, 2): 45° from (1, 0).
    expect(dense.closeness(Float64Array.from([1, 0]))).toBeCloseTo(Math.SQRT1_2, 6);
    expect(dense.closeness(Float64Array.from([0, -2]))).toBeCloseTo(1, 6);
    expect(dense.closeness(Float64Array.from([-1, 0]))).toBe(0);
    expect(() => DenseCentroids.fromState(dense.toState(), 3, 2)).toThrow(/intent centres/);
  });
});

describe('familiarity factors', () => {
  it('is 1 from the reference up and proportional below it', () => {
    expect(closenessFactor(0.9, 0.6)).toBe(1);
    expect(closenessFactor(0.3, 0.6)).toBeCloseTo(0.5, 9);
    expect(closenessFactor(-0.2, 0.6)).toBe(0);
    expect(closenessFactor(0.1, 0)).toBe(1);
  });

  it('takes a quantile of held-out closenesses as the reference, interpolating between them', () => {
    expect(quantile([0.9, 0.1, 0.5], 0.5)).toBe(0.5);
    expect(quantile([0.4, 0.2, 0.8, 0.6], 0.5)).toBeCloseTo(0.5, 9);
    // 0.05 of the way through five values: a fifth of the way from the lowest to the next.
    expect(quantile([0.5, 0.3, 0.8, 0.9, 0.4], 0.05)).toBeCloseTo(0.32, 9);
    expect(quantile([0.7], 0.05)).toBe(0.7);
    expect(quantile([], 0.05)).toBe(0);
  });

  it('multiplies the two views', () => {
    const centres = SparseCentroids.fit(
      [0],
      () => sparse([[0, 1]]),
      Int32Array.from([0]),
      1,
      2,
      () => true,
    );
    const dense = DenseCentroids.fit(
      [0],
      () => Float64Array.from([1, 0]),
      Int32Array.from([0]),
      1,
      2,
      () => true,
    );
    const familiarity = new Familiarity(centres, 0.8, { centroids: dense, reference: 0.5 });
    // Sparse cosine 1/√2 ≈ 0.707 against 0.8; dense cosine 0.25/√(0.25² + 1) ≈ 0.243 against 0.5.
    const x = sparse([
      [0, 1],
      [1, 1],
    ]);
    const factor = familiarity.factor(x, Float64Array.from([0.25, 1]));
    expect(factor).toBeCloseTo((Math.SQRT1_2 / 0.8) * (0.25 / Math.hypot(0.25, 1) / 0.5), 6);
    expect(familiarity.factor(x, undefined)).toBeCloseTo(Math.SQRT1_2 / 0.8, 6);
  });
});

const PHRASES: LabelledPhrase[] = [
  ['i want a refund', 'refund'],
  ['can i get my money back', 'refund'],
  ['refund my purchase please', 'refund'],
  ['give me back my money', 'refund'],
  ['i would like a refund for my order', 'refund'],
  ['money back for this purchase', 'refund'],
  ['where is my parcel', 'track'],
  ['track my delivery', 'track'],
  ['when will my package arrive', 'track'],
  ['my parcel has not arrived', 'track'],
  ['where is my order', 'track'],
  ['has my package shipped yet', 'track'],
  ['reset my password', 'password'],
  ['i forgot my password', 'password'],
  ['i cannot log in to my account', 'password'],
  ['change my password please', 'password'],
  ['my login does not work', 'password'],
  ['help me get into my account', 'password'],
].map(([text, intent]) => ({ text, intent }));

describe('a classifier with familiarity', () => {
  let withFamiliarity: IntentClassifier;
  let without: IntentClassifier;
  beforeAll(async () => {
    withFamiliarity = await IntentClassifier.train(PHRASES, 'en');
    without = await IntentClassifier.train(PHRASES, 'en', { ...DEFAULT_CLASSIFIER, familiarity: null });
  });

  it('keeps the ranking and lowers confidence for a phrase unlike any training phrase', () => {
    const text = 'what is the weather like in paris tomorrow';
    const discounted = withFamiliarity.rank(text);
    const plain = without.rank(text);
    expect(discounted.map((r) => r.name)).toEqual(plain.map((r) => r.name));
    expect(discounted[0].confidence).toBeLessThan(plain[0].confidence * 0.9);
  });

  it("keeps the classifier's order when the phrase shares nothing with any intent", () => {
    // No word or character n-gram of the training phrases: every centre is at cosine 0.
    const text = 'zzxq';
    const discounted = withFamiliarity.rank(text);
    expect(discounted.every((r) => r.confidence === 0)).toBe(true);
    expect(discounted.map((r) => r.name)).toEqual(without.rank(text).map((r) => r.name));
  });

  it('leaves an ordinary phrase as the classifier scored it', () => {
    const text = 'where is my parcel';
    expect(withFamiliarity.rank(text)[0].name).toBe('track');
    expect(withFamiliarity.rank(text)[0].confidence).toBeCloseTo(without.rank(text)[0].confidence, 9);
  });

  it('survives a model file, and files from before it load without it', () => {
    const state = withFamiliarity.toState();
    expect(state.familiarity?.dense).toBeDefined();
    const text = 'what is the weather like in paris tomorrow';
    expect(IntentClassifier.fromState(JSON.parse(JSON.stringify(state))).rank(text)).toEqual(
      withFamiliarity.rank(text),
    );
    const { familiarity, ...older } = state;
    expect(familiarity).toBeDefined();
    expect(IntentClassifier.fromState(older).rank(text)[0].confidence).toBeCloseTo(
      without.rank(text)[0].confidence,
      9,
    );
  });
});

describe('familiarity across bots', () => {
  it('gives out-of-scope training phrases no centre in either view', async () => {
    const outOfScope = [
      'what is the capital of peru',
      'tell me a joke about cats',
      'how tall is mount everest',
      'who won the football last night',
      'recommend a good novel',
      'what is the weather in oslo',
    ].map((text) => ({ text, intent: 'out_of_scope' }));
    const state = (await IntentClassifier.train([...PHRASES, ...outOfScope], 'en')).toState();
    const oos = state.labels.indexOf('out_of_scope');
    const centreClasses = new Set(decodeInts(state.familiarity?.sparse.classes ?? ''));
    expect([...centreClasses].sort()).toEqual(state.labels.map((_, c) => c).filter((c) => c !== oos));
    const dense = decodeFloats(state.familiarity?.dense?.centres ?? '');
    const width = dense.length / state.labels.length;
    expect(width).toBe(100);
    expect(dense.subarray(oos * width, (oos + 1) * width).every((v) => v === 0)).toBe(true);
    const inScopeRows = state.labels.map((_, c) => c).filter((c) => c !== oos);
    expect(inScopeRows.every((c) => dense.subarray(c * width, (c + 1) * width).some((v) => v !== 0))).toBe(
      true,
    );
  });

  it('uses the TF-IDF view alone where the language has no embedding bag', async () => {
    const spanish: LabelledPhrase[] = [
      ['quiero un reembolso', 'refund'],
      ['devuélveme el dinero', 'refund'],
      ['quiero mi dinero de vuelta', 'refund'],
      ['reembolso de mi compra', 'refund'],
      ['dónde está mi pedido', 'track'],
      ['seguir mi paquete', 'track'],
      ['cuándo llega mi paquete', 'track'],
      ['mi pedido no ha llegado', 'track'],
    ].map(([text, intent]) => ({ text, intent }));
    const model = await IntentClassifier.train(spanish, 'es');
    const state = model.toState();
    expect(state.embeddingBag).toBeUndefined();
    expect(state.familiarity?.sparseReference).toBeGreaterThan(0);
    expect(state.familiarity?.dense).toBeUndefined();
    const plain = await IntentClassifier.train(spanish, 'es', { ...DEFAULT_CLASSIFIER, familiarity: null });
    const text = 'el gato duerme en el sofá';
    expect(model.rank(text)[0].confidence).toBeLessThan(plain.rank(text)[0].confidence);
  });
});
