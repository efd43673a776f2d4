import { bagHeldOut, trainBagOn, type BagTrainingInput } from './embedding-bag/jobs';
import type { EmbeddingBagWeights } from './embedding-bag/model';
import { rowAt, type PackedRows, type TrainingRows } from './rows';
import { logits, trainSoftmaxOn, type SoftmaxConfig, type SoftmaxWeights } from './softmax';
import { svmHeldOutLogits, trainSvmOn, type SvmConfig } from './svm';

/**
 * Which linear model scores the intents. Both give one weight column per class, so calibration,
 * serialisation and ranking do not care which one trained it.
 */
export type TrainerConfig = { kind: 'svm'; svm: SvmConfig } | { kind: 'softmax'; softmax: SoftmaxConfig };

/** Progress steps one training run reports: classes for the SVMs, epochs for softmax. */
export function stepsOf(trainer: TrainerConfig, classes: number): number {
  return trainer.kind === 'svm' ? classes : trainer.softmax.epochs;
}

/** What every training run of one classifier shares. */
export interface JobInput {
  packed: PackedRows;
  /** Labels of every packed row. */
  labels: Int32Array;
  classes: number;
  features: number;
  trainer: TrainerConfig;
  /** The embedding bag's phrases and starting table, where the classifier has one. */
  bag?: BagTrainingInput;
  /** The `out_of_scope` class, if the bot has one: it gets no class centre (see `familiarity.ts`). */
  outOfScopeClass?: number;
}

/** One training run: which rows (by number) to learn from. */
export interface TrainJob {
  rows: Int32Array;
  /**
   * Rows to score instead of returning the model. A calibration fold needs only its held-out
   * class scores, and the SVMs can give them without ever holding a features × classes matrix.
   */
  heldOut?: Int32Array;
  /** Which model the run trains: the linear model over the sparse rows (default) or the embedding bag. */
  learner?: 'linear' | 'bag';
}

/**
 * A trained linear model or embedding bag, or the held-out class scores
 * (`heldOut.length` × classes, row after row); a bag's held-out run adds each phrase's
 * closeness to the nearest class centre in its learned view.
 */
export type JobResult =
  | { model: SoftmaxWeights }
  | { bag: EmbeddingBagWeights }
  | { heldOutLogits: Float64Array; heldOutCloseness?: Float64Array };

/** The buffers a result is made of, handed to the receiving thread rather than copied. */
export function transferablesOf(result: JobResult): ArrayBuffer[] {
  const arrays =
    'model' in result
      ? [result.model.weights, result.model.bias]
      : 'bag' in result
        ? [result.bag.table, result.bag.weights, result.bag.bias]
        : [result.heldOutLogits, ...(result.heldOutCloseness ? [result.heldOutCloseness] : [])];
  return arrays.map((a) => a.buffer as ArrayBuffer);
}

/** Progress steps of one job: classes or epochs of its learner. */
export function jobSteps(input: Pick<JobInput, 'trainer' | 'classes' | 'bag'>, job: TrainJob): number {
  return job.learner === 'bag' ? (input.bag?.config.epochs ?? 0) : stepsOf(input.trainer, input.classes);
}

function trainModel(data: TrainingRows, input: JobInput, onStep?: () => void): SoftmaxWeights {
  const { classes, features, trainer } = input;
  return trainer.kind === 'svm'
    ? trainSvmOn(data, classes, features, trainer.svm, onStep)
    : trainSoftmaxOn(data, classes, features, trainer.softmax, onStep);
}

function heldOutLogits(
  data: TrainingRows,
  heldOut: Int32Array,
  input: JobInput,
  onStep?: () => void,
): Float64Array {
  const { classes, features, trainer } = input;
  if (trainer.kind === 'svm') {
    return svmHeldOutLogits(data, heldOut, classes, features, trainer.svm, onStep);
  }
  // Softmax updates every class at once, so it needs its whole matrix anyway.
  const model = trainSoftmaxOn(data, classes, features, trainer.softmax, onStep);
  const out = new Float64Array(heldOut.length * classes);
  heldOut.forEach((r, h) =>
    logits(model, rowAt(data.packed, r), out.subarray(h * classes, (h + 1) * classes)),
  );
  return out;
}

function runBagJob(input: JobInput, job: TrainJob, onStep?: () => void): JobResult {
  if (!input.bag) throw new Error('an embedding-bag job needs the bag input');
  if (!job.heldOut) return { bag: trainBagOn(input.bag, input.labels, job.rows, input.classes, onStep) };
  const inScope = (c: number): boolean => c !== input.outOfScopeClass;
  const { logits: heldOutLogits, closeness: heldOutCloseness } = bagHeldOut(
    input.bag,
    input.labels,
    job.rows,
    job.heldOut,
    input.classes,
    inScope,
    onStep,
  );
  return { heldOutLogits, heldOutCloseness };
}

/** Runs one job on this thread; `onStep` is called per class (SVM) or epoch (softmax, embedding bag). */
export function runJob(input: JobInput, job: TrainJob, onStep?: () => void): JobResult {
  if (job.learner === 'bag') return runBagJob(input, job, onStep);
  const data: TrainingRows = { packed: input.packed, labels: input.labels, rows: job.rows };
  return job.heldOut
    ? { heldOutLogits: heldOutLogits(data, job.heldOut, input, onStep) }
    : { model: trainModel(data, input, onStep) };
}
