import { OUT_OF_SCOPE } from '../core/nlu';
import { fitTemperature, type ScoredExample } from './calibration';
import { BagEncoder } from './embedding-bag/encoder';
import { calibrateEnsemble, EmbeddingBagMember, type EmbeddingBagState } from './embedding-bag/ensemble';
import { decodeFloats, encodeFloats } from './floats';
import { bagHiddenAt, packBagInputs, type BagTrainingInput } from './embedding-bag/jobs';
import {
  DEFAULT_EMBEDDING_BAG,
  type EmbeddingBagConfig,
  type EmbeddingBagWeights,
} from './embedding-bag/model';
import {
  DEFAULT_FEATURES,
  Featurizer,
  type FeatureConfig,
  type FeaturizerState,
  type SparseVector,
} from './features';
import { runJobs } from './parallel';
import { DenseCentroids, Familiarity, quantile, SparseCentroids, type FamiliarityState } from './familiarity';
import { keepTrainingGarbageYoung } from './pretenuring';
import { allRows, packRows, rowAt, type PackedRows } from './rows';
import { logits, seededRandom, shuffle, softmax, type SoftmaxWeights } from './softmax';
import { DEFAULT_SVM } from './svm';
import { jobSteps, type JobInput, type JobResult, type TrainerConfig, type TrainJob } from './trainers';

export interface LabelledPhrase {
  text: string;
  intent: string;
}

export interface ClassifierConfig {
  features: FeatureConfig;
  /** One-vs-rest linear SVMs by default; multinomial logistic regression (`softmax`) on request. */
  trainer: TrainerConfig;
  /** Folds for held-out calibration scores; folds run until `calibrationTarget` phrases are scored. */
  calibrationFolds: number;
  calibrationTarget: number;
  /**
   * A second model pooled with the linear one where the language has pretrained vectors (null:
   * linear model only), and its share of the pooled log-odds, chosen on the benchmarks'
   * validation splits.
   */
  embeddingBag: EmbeddingBagConfig | null;
  bagShare: number;
  /**
   * Discount confidence for phrases farther from every intent's centre than this quantile of
   * held-out in-scope phrases (`familiarity.ts`); null: no discount.
   */
  familiarity: number | null;
}

export const DEFAULT_CLASSIFIER: ClassifierConfig = {
  features: DEFAULT_FEATURES,
  trainer: { kind: 'svm', svm: DEFAULT_SVM },
  calibrationFolds: 3,
  calibrationTarget: 2000,
  embeddingBag: DEFAULT_EMBEDDING_BAG,
  bagShare: 0.3,
  familiarity: 0.05,
};

/** Called as training advances: `done` of `total` steps (classes or epochs) across all runs. */
export type ProgressListener = (done: number, total: number) => void;

export interface ClassifierState {
  labels: string[];
  temperature: number;
  featurizer: FeaturizerState;
  weights: string;
  bias: number[];
  /** Absent where the language has no vectors, and in model files from before the bag. */
  embeddingBag?: EmbeddingBagState;
  /** Absent in model files from before it, and where no phrase could be held out to set it. */
  familiarity?: FamiliarityState;
}

export interface RankedIntent {
  name: string;
  confidence: number;
}

interface Encoded {
  packed: PackedRows;
  labels: Int32Array;
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
 * Training jobs: one per calibration fold (learn from all rows but that fold, score that fold)
 * and the final model on all rows. The featurizer is shared: its vocabulary comes from unlabelled
 * text, so no labels leak.
 */
function planJobs(encoded: Encoded, config: ClassifierConfig, classes: number): TrainJob[] {
  const n = encoded.labels.length;
  const folds = Math.min(config.calibrationFolds, n);
  const all: TrainJob = { rows: allRows(n) };
  if (folds < 2 || classes < 2) return [all];
  const fold = foldOf(encoded.labels, folds, 13);
  const jobs: TrainJob[] = [];
  for (let f = 0; f < calibrationRuns(n, config); f++) {
    jobs.push({
      rows: all.rows.filter((i) => fold[i] !== f),
      heldOut: all.rows.filter((i) => fold[i] === f),
    });
  }
  return [...jobs, all];
}

/**
 * Held-out class scores of one learner's calibration jobs, fold after fold, for temperature
 * scaling; both learners list the same folds in the same order, so their scores pair up.
 */
function heldOutScores(
  jobs: readonly TrainJob[],
  results: readonly JobResult[],
  labels: Int32Array,
  classes: number,
  learner: 'linear' | 'bag',
): ScoredExample[] {
  const scored: ScoredExample[] = [];
  jobs.forEach((job, j) => {
    const result = results[j];
    if ((job.learner ?? 'linear') !== learner || !job.heldOut || !('heldOutLogits' in result)) return;
    job.heldOut.forEach((r, h) => {
      const z = result.heldOutLogits.subarray(h * classes, (h + 1) * classes);
      scored.push({ logits: z, label: labels[r] });
    });
  });
  return scored;
}

/** The embedding bag's encoder and training input, where it is on and the language has vectors. */
function prepareBag(
  texts: readonly string[],
  language: string,
  config: EmbeddingBagConfig | null,
): { encoder: BagEncoder; input: BagTrainingInput } | undefined {
  const encoder = config ? BagEncoder.fit(texts, language, config.maxPairBuckets) : undefined;
  if (!config || !encoder) return undefined;
  const inputs = texts.map((text) => encoder.encode(text));
  const table = encoder.initialTable(config.seed);
  return { encoder, input: packBagInputs(inputs, table, encoder.dimensions, config) };
}

/**
 * Intent centres from every phrase; the reference closeness of each view from the first
 * calibration fold's held-out in-scope phrases, against centres of that fold's training phrases
 * (the bag's fold run measured its own view). Without held-out phrases there is no reference.
 */
function fitFamiliarity(
  encoded: Encoded,
  features: number,
  classes: number,
  outOfScope: number | undefined,
  fold: TrainJob,
  options: {
    /** The quantile of held-out closeness taken as each view's reference. */
    level: number;
    bag:
      | { input: BagTrainingInput; model: EmbeddingBagWeights; heldOutCloseness: Float64Array | undefined }
      | undefined;
  },
): Familiarity | undefined {
  const { level, bag } = options;
  const foldHeldOut = fold.heldOut;
  if (!foldHeldOut) return undefined;
  const inScope = (c: number): boolean => c !== outOfScope;
  const { packed, labels } = encoded;
  const rowOf = (r: number) => rowAt(packed, r);
  const foldCentres = SparseCentroids.fit(fold.rows, rowOf, labels, classes, features, inScope);
  const heldOut = Array.from(foldHeldOut.keys()).filter((h) => inScope(labels[foldHeldOut[h]]));
  const sparseReference = quantile(
    heldOut.map((h) => foldCentres.closeness(rowOf(foldHeldOut[h]))),
    level,
  );
  const every = allRows(labels.length);
  const sparse = SparseCentroids.fit(every, rowOf, labels, classes, features, inScope);
  const closeness = bag?.heldOutCloseness;
  if (!bag || !closeness) return new Familiarity(sparse, sparseReference);
  const scratch = new Float64Array(bag.input.dimensions);
  const hiddenOf = (r: number): Float64Array => bagHiddenAt(bag.input, bag.model, r, scratch);
  const centroids = DenseCentroids.fit(every, hiddenOf, labels, classes, bag.input.dimensions, inScope);
  return new Familiarity(sparse, sparseReference, {
    centroids,
    reference: quantile(
      heldOut.map((h) => closeness[h]),
      level,
    ),
  });
}

export function calibrationRuns(phrases: number, config: ClassifierConfig): number {
  const perFold = phrases / Math.max(1, config.calibrationFolds);
  return Math.min(config.calibrationFolds, Math.ceil(config.calibrationTarget / Math.max(1, perFold)));
}

/**
 * TF-IDF word and character views (and phrase vectors) into linear class scores, pooled with the
 * embedding bag's where the language has vectors, made probabilities by temperature scaling.
 */
export class IntentClassifier {
  private constructor(
    readonly labels: string[],
    private readonly featurizer: Featurizer,
    private readonly model: SoftmaxWeights,
    readonly temperature: number,
    private readonly bag: EmbeddingBagMember | undefined,
    private readonly familiarity: Familiarity | undefined,
  ) {}

  static async train(
    phrases: readonly LabelledPhrase[],
    language: string,
    config: ClassifierConfig = DEFAULT_CLASSIFIER,
    onProgress?: ProgressListener,
  ): Promise<IntentClassifier> {
    keepTrainingGarbageYoung();
    const labels = [...new Set(phrases.map((p) => p.intent))].sort();
    const index = new Map(labels.map((l, i) => [l, i]));
    const outOfScopeClass = index.get(OUT_OF_SCOPE);
    const texts = phrases.map((p) => p.text);
    const featurizer = Featurizer.fit(texts, language, config.features);
    const encoded: Encoded = {
      packed: packRows(phrases.length, featurizer.size, (r) => featurizer.transform(phrases[r].text)),
      labels: Int32Array.from(phrases.map((p) => index.get(p.intent) ?? 0)),
    };
    const bagSetup = prepareBag(texts, language, config.embeddingBag);
    const linearJobs = planJobs(encoded, config, labels.length);
    const input: JobInput = {
      ...encoded,
      classes: labels.length,
      features: featurizer.size,
      trainer: config.trainer,
      ...(bagSetup ? { bag: bagSetup.input } : {}),
      ...(outOfScopeClass === undefined ? {} : { outOfScopeClass }),
    };
    // The bag calibrates on the first fold only and its runs come after the linear ones: they
    // are shorter and fill the lanes' ends.
    const bagPlan = linearJobs.length > 1 ? [linearJobs[0], linearJobs[linearJobs.length - 1]] : linearJobs;
    const bagJobs = input.bag ? bagPlan.map((job): TrainJob => ({ ...job, learner: 'bag' })) : [];
    const jobs = [...linearJobs, ...bagJobs];
    const total = jobs.reduce((sum, job) => sum + jobSteps(input, job), 0);
    let done = 0;
    const results = await runJobs(input, jobs, () => onProgress?.(++done, total));
    const heldOut = (learner: 'linear' | 'bag'): ScoredExample[] =>
      heldOutScores(jobs, results, encoded.labels, labels.length, learner);
    const linearFinal = results[linearJobs.length - 1];
    if (!('model' in linearFinal)) throw new Error('the final training job returned no model');
    const bagFinal = results[results.length - 1];
    const bagFold = results[linearJobs.length];
    const trainedBag =
      bagSetup && 'bag' in bagFinal
        ? {
            input: bagSetup.input,
            model: bagFinal.bag,
            heldOutCloseness: 'heldOutCloseness' in bagFold ? bagFold.heldOutCloseness : undefined,
          }
        : undefined;
    const familiarity =
      config.familiarity === null
        ? undefined
        : fitFamiliarity(encoded, featurizer.size, labels.length, outOfScopeClass, linearJobs[0], {
            level: config.familiarity,
            bag: trainedBag,
          });
    const model = linearFinal.model;
    if (!bagSetup || !trainedBag) {
      const temperature = fitTemperature(heldOut('linear'));
      return new IntentClassifier(labels, featurizer, model, temperature, undefined, familiarity);
    }
    const pool = calibrateEnsemble(heldOut('linear'), heldOut('bag'), config.bagShare);
    const bag = new EmbeddingBagMember(bagSetup.encoder, trainedBag.model, pool.linearScale, pool.bagScale);
    return new IntentClassifier(labels, featurizer, model, pool.temperature, bag, familiarity);
  }

  static fromState(state: ClassifierState): IntentClassifier {
    const featurizer = Featurizer.fromState(state.featurizer);
    const model: SoftmaxWeights = {
      classes: state.labels.length,
      features: featurizer.size,
      weights: decodeFloats(state.weights),
      bias: Float32Array.from(state.bias),
    };
    const bag = state.embeddingBag
      ? EmbeddingBagMember.fromState(state.embeddingBag, featurizer.language, state.labels.length)
      : undefined;
    const familiarity = state.familiarity
      ? Familiarity.fromState(state.familiarity, state.labels.length, featurizer.size, bag?.dimensions)
      : undefined;
    return new IntentClassifier(state.labels, featurizer, model, state.temperature, bag, familiarity);
  }

  toState(): ClassifierState {
    return {
      labels: this.labels,
      temperature: this.temperature,
      featurizer: this.featurizer.toState(),
      weights: encodeFloats(this.model.weights),
      bias: Array.from(this.model.bias),
      ...(this.bag ? { embeddingBag: this.bag.toState() } : {}),
      ...(this.familiarity ? { familiarity: this.familiarity.toState() } : {}),
    };
  }

  /**
   * Calibrated probabilities for every intent, best first, times the phrase's familiarity: the
   * order is the classifier's, and what a familiarity below 1 takes away is the chance that the
   * phrase belongs to none of them.
   */
  /** The features the classifier sees for `text`: its TF-IDF views and phrase vector. */
  features(text: string): SparseVector {
    return this.featurizer.transform(text);
  }

  rank(text: string): RankedIntent[] {
    const x = this.featurizer.transform(text);
    const linear = logits(this.model, x);
    const hidden = this.bag?.hidden(text);
    const p = softmax(this.bag && hidden ? this.bag.pool(linear, hidden) : linear, this.temperature);
    const f = this.familiarity?.factor(x, hidden) ?? 1;
    // Sorted before the discount: a factor of 0 (no feature in common with any intent) must not
    // turn the classifier's order into ties.
    return this.labels
      .map((name, i) => ({ name, confidence: p[i] }))
      .sort((a, b) => b.confidence - a.confidence)
      .map((r) => (f < 1 ? { name: r.name, confidence: r.confidence * f } : r));
  }
}
