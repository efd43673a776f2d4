import { fitTemperature, type ScoredExample } from './calibration';
import {
  DEFAULT_FEATURES,
  Featurizer,
  type FeatureConfig,
  type FeaturizerState,
  type SparseVector,
} from './features';
import {
  DEFAULT_SOFTMAX,
  logits,
  seededRandom,
  shuffle,
  softmax,
  trainSoftmax,
  type SoftmaxConfig,
  type SoftmaxWeights,
} from './softmax';

export interface LabelledPhrase {
  text: string;
  intent: string;
}

export interface ClassifierConfig {
  features: FeatureConfig;
  softmax: SoftmaxConfig;
  /** Folds for held-out calibration scores; folds run until `calibrationTarget` phrases are scored. */
  calibrationFolds: number;
  calibrationTarget: number;
}

export const DEFAULT_CLASSIFIER: ClassifierConfig = {
  features: DEFAULT_FEATURES,
  softmax: DEFAULT_SOFTMAX,
  calibrationFolds: 3,
  calibrationTarget: 2000,
};

/** Called as training advances: `done` of `total` epochs across all the runs training needs. */
export type ProgressListener = (done: number, total: number) => void;

export interface ClassifierState {
  labels: string[];
  temperature: number;
  featurizer: FeaturizerState;
  weights: string;
  bias: number[];
}

export interface RankedIntent {
  name: string;
  confidence: number;
}

function encodeFloats(values: Float32Array): string {
  return Buffer.from(values.buffer, values.byteOffset, values.byteLength).toString('base64');
}

function decodeFloats(text: string): Float32Array {
  const bytes = Buffer.from(text, 'base64');
  const copy = new Uint8Array(bytes.byteLength);
  copy.set(bytes);
  return new Float32Array(copy.buffer);
}

interface Encoded {
  rows: SparseVector[];
  labels: Int32Array;
}

function fitOn(
  featurizer: Featurizer,
  encoded: Encoded,
  classes: number,
  config: SoftmaxConfig,
  onEpoch?: () => void,
) {
  return trainSoftmax(encoded.rows, encoded.labels, classes, featurizer.size, config, onEpoch);
}

/** Stratified folds: every intent is spread over the folds, so tiny bots still calibrate. */
function foldOf(labels: Int32Array, folds: number, seed: number): Int32Array {
  const random = seededRandom(seed);
  const byLabel = new Map<number, number[]>();
  labels.forEach((label, i) => byLabel.set(label, [...(byLabel.get(label) ?? []), i]));
  const fold = new Int32Array(labels.length);
  let next = 0;
  for (const members of byLabel.values()) {
    for (const i of shuffle(members, random)) fold[i] = next++ % folds;
  }
  return fold;
}

/**
 * Held-out logits from models trained without each fold. The featurizer is shared with the
 * final model: its vocabulary comes from unlabelled text, so sharing it leaks no labels.
 */
function heldOutScores(
  featurizer: Featurizer,
  encoded: Encoded,
  classes: number,
  config: ClassifierConfig,
  tick: () => void,
): ScoredExample[] {
  const n = encoded.labels.length;
  const folds = Math.min(config.calibrationFolds, n);
  if (folds < 2) return [];
  const fold = foldOf(encoded.labels, folds, config.softmax.seed);
  const scored: ScoredExample[] = [];
  for (let f = 0; f < folds && scored.length < config.calibrationTarget; f++) {
    const train: Encoded = { rows: [], labels: new Int32Array(n) };
    let m = 0;
    for (let i = 0; i < n; i++) {
      if (fold[i] === f) continue;
      train.rows.push(encoded.rows[i]);
      train.labels[m++] = encoded.labels[i];
    }
    train.labels = train.labels.slice(0, m);
    const model = fitOn(featurizer, train, classes, config.softmax, tick);
    for (let i = 0; i < n; i++) {
      if (fold[i] === f) scored.push({ logits: logits(model, encoded.rows[i]), label: encoded.labels[i] });
    }
  }
  return scored;
}

export function calibrationRuns(phrases: number, config: ClassifierConfig): number {
  const perFold = phrases / Math.max(1, config.calibrationFolds);
  return Math.min(config.calibrationFolds, Math.ceil(config.calibrationTarget / Math.max(1, perFold)));
}

/** TF-IDF word and character views into multinomial logistic regression with temperature scaling. */
export class IntentClassifier {
  private constructor(
    readonly labels: string[],
    private readonly featurizer: Featurizer,
    private readonly model: SoftmaxWeights,
    readonly temperature: number,
  ) {}

  static train(
    phrases: readonly LabelledPhrase[],
    language: string,
    config: ClassifierConfig = DEFAULT_CLASSIFIER,
    onProgress?: ProgressListener,
  ): IntentClassifier {
    const labels = [...new Set(phrases.map((p) => p.intent))].sort();
    const index = new Map(labels.map((l, i) => [l, i]));
    const featurizer = Featurizer.fit(
      phrases.map((p) => p.text),
      language,
      config.features,
    );
    const encoded: Encoded = {
      rows: phrases.map((p) => featurizer.transform(p.text)),
      labels: Int32Array.from(phrases.map((p) => index.get(p.intent) ?? 0)),
    };
    const total = (calibrationRuns(phrases.length, config) + 1) * config.softmax.epochs;
    let done = 0;
    const tick = (): void => onProgress?.(++done, total);
    const scored = labels.length > 1 ? heldOutScores(featurizer, encoded, labels.length, config, tick) : [];
    const temperature = fitTemperature(scored);
    const model = fitOn(featurizer, encoded, labels.length, config.softmax, tick);
    return new IntentClassifier(labels, featurizer, model, temperature);
  }

  static fromState(state: ClassifierState): IntentClassifier {
    const featurizer = Featurizer.fromState(state.featurizer);
    const model: SoftmaxWeights = {
      classes: state.labels.length,
      features: featurizer.size,
      weights: decodeFloats(state.weights),
      bias: Float32Array.from(state.bias),
    };
    return new IntentClassifier(state.labels, featurizer, model, state.temperature);
  }

  toState(): ClassifierState {
    return {
      labels: this.labels,
      temperature: this.temperature,
      featurizer: this.featurizer.toState(),
      weights: encodeFloats(this.model.weights),
      bias: Array.from(this.model.bias),
    };
  }

  /** Calibrated probabilities for every intent, best first. */
  rank(text: string): RankedIntent[] {
    const p = softmax(logits(this.model, this.featurizer.transform(text)), this.temperature);
    return this.labels
      .map((name, i) => ({ name, confidence: p[i] }))
      .sort((a, b) => b.confidence - a.confidence);
  }
}
