import type { SparseVector } from './features';
import { trainingRowsOf, type PackedRows, type TrainingRows } from './rows';

/** Multinomial logistic regression over sparse features, trained by SGD. */
export interface SoftmaxConfig {
  epochs: number;
  learningRate: number;
  /** L2 penalty per example. */
  l2: number;
  seed: number;
}

export const DEFAULT_SOFTMAX: SoftmaxConfig = { epochs: 7, learningRate: 0.7, l2: 1e-5, seed: 13 };

/** Weights are feature-major (`weights[f * classes + k]`) so a sparse row touches contiguous memory. */
export interface SoftmaxWeights {
  classes: number;
  features: number;
  weights: Float32Array;
  bias: Float32Array;
}

import { seededRandom } from '../core/random';

export { seededRandom };

export function shuffle<T>(items: T[], random: () => number): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [items[i], items[j]] = [items[j], items[i]];
  }
  return items;
}

/** Raw class scores (logits) for one row. */
export function logits(
  model: SoftmaxWeights,
  x: SparseVector,
  out = new Float64Array(model.classes),
): Float64Array {
  const k = model.classes;
  for (let c = 0; c < k; c++) out[c] = model.bias[c];
  const { idx, val } = x;
  const w = model.weights;
  for (let j = 0; j < idx.length; j++) {
    const row = idx[j] * k;
    const v = val[j];
    for (let c = 0; c < k; c++) out[c] += w[row + c] * v;
  }
  return out;
}

/** In-place softmax with temperature; returns the same array. */
export function softmax(scores: Float64Array, temperature = 1): Float64Array {
  let max = -Infinity;
  for (const s of scores) if (s > max) max = s;
  let sum = 0;
  for (let c = 0; c < scores.length; c++) {
    scores[c] = Math.exp((scores[c] - max) / temperature);
    sum += scores[c];
  }
  for (let c = 0; c < scores.length; c++) scores[c] /= sum;
  return scores;
}

/** Scores of one row (packed entries `from..to-1`) into `out`, weights scaled by the pending decay. */
function forward(
  w: Float32Array,
  bias: Float32Array,
  x: PackedRows,
  from: number,
  to: number,
  k: number,
  scale: number,
  out: Float64Array,
): void {
  for (let c = 0; c < k; c++) out[c] = 0;
  const { idx, val } = x;
  for (let j = from; j < to; j++) {
    const row = idx[j] * k;
    const v = val[j] * scale;
    for (let c = 0; c < k; c++) out[c] += w[row + c] * v;
  }
  for (let c = 0; c < k; c++) out[c] += bias[c];
}

/** Classes whose gradient is negligible are skipped: late in training most of them are. */
function backward(
  w: Float32Array,
  x: PackedRows,
  from: number,
  to: number,
  grad: Float64Array,
  k: number,
  rate: number,
  active: Int32Array,
): void {
  let n = 0;
  for (let c = 0; c < k; c++) if (grad[c] > 1e-4 || grad[c] < -1e-4) active[n++] = c;
  const { idx, val } = x;
  for (let j = from; j < to; j++) {
    const row = idx[j] * k;
    const coef = rate * val[j];
    for (let a = 0; a < n; a++) {
      const c = active[a];
      w[row + c] -= coef * grad[c];
    }
  }
}

/**
 * Weight decay is applied lazily through a shared scale factor, so each step costs
 * O(non-zeros x classes) instead of touching every weight.
 */
export function trainSoftmaxOn(
  data: TrainingRows,
  classes: number,
  features: number,
  config: SoftmaxConfig = DEFAULT_SOFTMAX,
  onEpoch?: (epoch: number) => void,
): SoftmaxWeights {
  const { packed, labels, rows } = data;
  const w = new Float32Array(features * classes);
  const bias = new Float32Array(classes);
  const random = seededRandom(config.seed);
  const order = Array.from({ length: rows.length }, (_, p) => p);
  const grad = new Float64Array(classes);
  const active = new Int32Array(classes);
  let scale = 1;
  let step = 0;
  for (let epoch = 0; epoch < config.epochs; epoch++) {
    shuffle(order, random);
    for (const p of order) {
      const lr = config.learningRate / (1 + config.learningRate * config.l2 * step++);
      const r = rows[p];
      const from = packed.offsets[r];
      const to = packed.offsets[r + 1];
      forward(w, bias, packed, from, to, classes, scale, grad);
      softmax(grad);
      grad[labels[r]] -= 1;
      scale *= 1 - lr * config.l2;
      backward(w, packed, from, to, grad, classes, lr / scale, active);
      for (let c = 0; c < classes; c++) bias[c] -= lr * grad[c];
      if (scale < 1e-6) {
        for (let f = 0; f < w.length; f++) w[f] *= scale;
        scale = 1;
      }
    }
    onEpoch?.(epoch + 1);
  }
  for (let f = 0; f < w.length; f++) w[f] *= scale;
  return { classes, features, weights: w, bias };
}

/** `trainSoftmaxOn` for rows in hand (tests, experiments): learns from all of them. */
export function trainSoftmax(
  rows: readonly SparseVector[],
  labels: Int32Array,
  classes: number,
  features: number,
  config: SoftmaxConfig = DEFAULT_SOFTMAX,
  onEpoch?: (epoch: number) => void,
): SoftmaxWeights {
  return trainSoftmaxOn(trainingRowsOf(rows, labels, features), classes, features, config, onEpoch);
}
