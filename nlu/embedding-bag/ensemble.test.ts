import { fitTemperature, type ScoredExample } from '../calibration';
import { DEFAULT_CLASSIFIER, IntentClassifier, type LabelledPhrase } from '../classifier';
import { calibrateEnsemble } from './ensemble';

const PHRASES: LabelledPhrase[] = [
  ['i want a refund', 'refund'],
  ['can i get my money back', 'refund'],
  ['refund my purchase please', 'refund'],
  ['give me back my money', 'refund'],
  ['i would like a refund for my order', 'refund'],
  ['where is my parcel', 'track'],
  ['track my delivery', 'track'],
  ['when will my package arrive', 'track'],
  ['my parcel has not arrived', 'track'],
  ['where is my order', 'track'],
  ['hello there', 'greet'],
  ['hi', 'greet'],
  ['good morning', 'greet'],
  ['hey how are you', 'greet'],
  ['hello', 'greet'],
].map(([text, intent]) => ({ text, intent }));

const scored = (rows: number[][], labels: number[]): ScoredExample[] =>
  rows.map((z, i) => ({ logits: Float64Array.from(z), label: labels[i] }));

describe('pooling the linear model and the embedding bag', () => {
  const linear = scored(
    [
      [2, 0],
      [1.5, 0.5],
      [0, 3],
      [1, 0],
    ],
    [0, 1, 1, 0],
  );
  const bag = scored(
    [
      [1, 0],
      [0, 1],
      [0.2, 0],
      [1, 0],
    ],
    [0, 1, 1, 0],
  );

  it('divides each share by that model’s own held-out temperature', () => {
    const pool = calibrateEnsemble(linear, bag, 0.3);
    expect(pool.linearScale).toBeCloseTo(0.7 / fitTemperature(linear), 10);
    expect(pool.bagScale).toBeCloseTo(0.3 / fitTemperature(bag), 10);
  });

  it('with no share for the bag, is the linear model calibrated as before', () => {
    const pool = calibrateEnsemble(linear, bag, 0);
    expect(pool.bagScale).toBe(0);
    // Scaling by 1/T and then fitting again leaves nothing to correct.
    expect(pool.temperature).toBeCloseTo(1, 3);
  });

  it('pairs the bag’s fewer folds with the first of the linear model’s, and refuses what does not pair', () => {
    const pool = calibrateEnsemble(linear, bag.slice(0, 2), 0.3);
    expect(pool.linearScale).toBeCloseTo(0.7 / fitTemperature(linear), 10);
    expect(pool.bagScale).toBeCloseTo(0.3 / fitTemperature(bag.slice(0, 2)), 10);
    expect(() => calibrateEnsemble(linear, bag.slice(1), 0.3)).toThrow(/pair up/);
    expect(() => calibrateEnsemble(linear.slice(0, 2), bag, 0.3)).toThrow(/pair up/);
  });
});

describe('a classifier with an embedding bag', () => {
  it('stores the bag in its model file and ranks the same after reloading', async () => {
    const classifier = await IntentClassifier.train(PHRASES, 'en');
    const state = classifier.toState();
    expect(state.embeddingBag).toBeDefined();
    const reloaded = IntentClassifier.fromState(JSON.parse(JSON.stringify(state)));
    for (const text of ['i want my money back', 'where is my reimbursement', 'hey']) {
      expect(reloaded.rank(text)).toEqual(classifier.rank(text));
    }
    expect(classifier.rank('where is my shipment')[0].name).toBe('track');
  });

  it('scores differently from the linear model alone, and loads model files from before the bag', async () => {
    const pooled = await IntentClassifier.train(PHRASES, 'en');
    const linearOnly = await IntentClassifier.train(PHRASES, 'en', {
      ...DEFAULT_CLASSIFIER,
      embeddingBag: null,
    });
    expect(linearOnly.toState().embeddingBag).toBeUndefined();
    expect(pooled.rank('give my money back')[0].confidence).not.toBeCloseTo(
      linearOnly.rank('give my money back')[0].confidence,
      6,
    );
    // Files from before the bag had no familiarity either.
    const { embeddingBag, familiarity, ...older } = pooled.toState();
    expect(familiarity?.dense).toBeDefined();
    expect(embeddingBag).toBeDefined();
    const reloaded = IntentClassifier.fromState({ ...older, temperature: linearOnly.temperature });
    expect(reloaded.rank('track my parcel')[0].name).toBe('track');
  });

  it('refuses a model file whose bag does not fit its vocabulary', async () => {
    const state = (await IntentClassifier.train(PHRASES, 'en')).toState();
    if (!state.embeddingBag) throw new Error('English classifiers have a bag');
    const broken = {
      ...state,
      embeddingBag: { ...state.embeddingBag, encoder: { ...state.embeddingBag.encoder, tokens: ['refund'] } },
    };
    expect(() => IntentClassifier.fromState(broken)).toThrow(/does not match/);
  });

  it('is left out for languages without pretrained vectors', async () => {
    const spanish = await IntentClassifier.train(
      [
        { text: 'quiero un reembolso', intent: 'refund' },
        { text: 'dónde está mi pedido', intent: 'track' },
      ],
      'es',
    );
    expect(spanish.toState().embeddingBag).toBeUndefined();
  });
});
