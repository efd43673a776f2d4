import type { SparseVector } from './features';
import { trainSoftmax, type SoftmaxConfig, type SoftmaxWeights } from './softmax';
import { trainSvm, type SvmConfig } from './svm';

/**
 * Which linear model scores the intents. Both give one weight column per class, so calibration,
 * serialisation and ranking do not care which one trained it.
 */
export type TrainerConfig = { kind: 'svm'; svm: SvmConfig } | { kind: 'softmax'; softmax: SoftmaxConfig };

/** Progress steps one training run reports: classes for the SVMs, epochs for softmax. */
export function stepsOf(trainer: TrainerConfig, classes: number): number {
  return trainer.kind === 'svm' ? classes : trainer.softmax.epochs;
}

export function trainLinear(
  rows: readonly SparseVector[],
  labels: Int32Array,
  classes: number,
  features: number,
  trainer: TrainerConfig,
  onStep?: () => void,
): SoftmaxWeights {
  return trainer.kind === 'svm'
    ? trainSvm(rows, labels, classes, features, trainer.svm, onStep)
    : trainSoftmax(rows, labels, classes, features, trainer.softmax, onStep);
}
