import type { SparseVector } from './features';
import { trainingRowsOf, type TrainingRows } from './rows';
import { seededRandom, type SoftmaxWeights } from './softmax';

/** One-vs-rest linear SVMs (L2-regularised squared hinge), solved in the dual. */
export interface SvmConfig {
  /** Inverse regularisation strength, as in liblinear and scikit-learn's `LinearSVC`. */
  c: number;
  /** Outer passes over the data per class; the solver usually stops well before. */
  maxPasses: number;
  /** Stop once the projected-gradient spread falls below this. */
  tolerance: number;
  seed: number;
}

export const DEFAULT_SVM: SvmConfig = { c: 0.5, maxPasses: 10, tolerance: 0.1, seed: 17 };

/** The constant feature that carries the bias, regularised like any weight (liblinear's `-B 1`). */
const BIAS_FEATURE = 1;

/** Receives one class's weights (a scratch array, reused) as soon as its solver finishes. */
type ClassSink = (k: number, w: Float64Array, bias: number) => void;

/** x·x + bias² + 1/(2C) for each row to learn from: the diagonal of the dual Hessian. */
function hessianDiagonal(data: TrainingRows, c: number): Float64Array {
  const { offsets, val } = data.packed;
  const qii = new Float64Array(data.rows.length);
  const diag = 1 / (2 * c);
  data.rows.forEach((r, p) => {
    let s = BIAS_FEATURE * BIAS_FEATURE + diag;
    for (let j = offsets[r]; j < offsets[r + 1]; j++) s += val[j] * val[j];
    qii[p] = s;
  });
  return qii;
}

/**
 * Dual coordinate descent with shrinking (Hsieh et al. 2008, liblinear's solver 1) for one
 * class against the rest. Leaves the weights in `w` and returns the bias.
 */
function trainOneClass(
  data: TrainingRows,
  qii: Float64Array,
  k: number,
  config: SvmConfig,
  w: Float64Array,
): number {
  const { rows, labels } = data;
  const { offsets, idx, val } = data.packed;
  const n = rows.length;
  const diag = 1 / (2 * config.c);
  const alpha = new Float64Array(n);
  const index = Int32Array.from({ length: n }, (_, i) => i);
  const random = seededRandom(config.seed + k);
  w.fill(0);
  let bias = 0;
  let active = n;
  let maxOld = Infinity;
  for (let pass = 0; pass < config.maxPasses; pass++) {
    for (let i = active - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      const t = index[i];
      index[i] = index[j];
      index[j] = t;
    }
    let maxPg = -Infinity;
    let minPg = Infinity;
    for (let s = 0; s < active; s++) {
      const i = index[s];
      const r = rows[i];
      const from = offsets[r];
      const to = offsets[r + 1];
      const y = labels[r] === k ? 1 : -1;
      let dot = bias * BIAS_FEATURE;
      for (let j = from; j < to; j++) dot += w[idx[j]] * val[j];
      const g = y * dot - 1 + diag * alpha[i];
      let pg = g;
      if (alpha[i] === 0) {
        if (g > maxOld) {
          // Shrink: this row sits comfortably outside the margin.
          active--;
          index[s] = index[active];
          index[active] = i;
          s--;
          continue;
        }
        if (g > 0) pg = 0;
      }
      if (pg > maxPg) maxPg = pg;
      if (pg < minPg) minPg = pg;
      if (pg > 1e-12 || pg < -1e-12) {
        const old = alpha[i];
        alpha[i] = Math.max(old - g / qii[i], 0);
        const d = (alpha[i] - old) * y;
        for (let j = from; j < to; j++) w[idx[j]] += d * val[j];
        bias += d * BIAS_FEATURE;
      }
    }
    if (maxPg - minPg <= config.tolerance) {
      if (active === n) break;
      // Converged on the shrunk set: check every row once more.
      active = n;
      maxOld = Infinity;
      continue;
    }
    maxOld = maxPg <= 0 ? Infinity : maxPg;
  }
  return bias * BIAS_FEATURE;
}

/** Solves every class one after another, handing each to `sink`. */
function solveClasses(
  data: TrainingRows,
  classes: number,
  features: number,
  config: SvmConfig,
  sink: ClassSink,
  onClass?: (done: number) => void,
): void {
  const qii = hessianDiagonal(data, config.c);
  const w = new Float64Array(features);
  for (let k = 0; k < classes; k++) {
    sink(k, w, trainOneClass(data, qii, k, config, w));
    onClass?.(k + 1);
  }
}

/**
 * Trains every class on the chosen rows. Scores are raw margins; the
 * classifier turns them into probabilities by temperature scaling.
 */
export function trainSvmOn(
  data: TrainingRows,
  classes: number,
  features: number,
  config: SvmConfig = DEFAULT_SVM,
  onClass?: (done: number) => void,
): SoftmaxWeights {
  const weights = new Float32Array(features * classes);
  const bias = new Float32Array(classes);
  const intoMatrix: ClassSink = (k, w, b) => {
    bias[k] = b;
    for (let f = 0; f < features; f++) if (w[f] !== 0) weights[f * classes + k] = w[f];
  };
  solveClasses(data, classes, features, config, intoMatrix, onClass);
  return { classes, features, weights, bias };
}

/** `trainSvmOn` for rows in hand (tests, experiments): learns from all of them, in order. */
export function trainSvm(
  rows: readonly SparseVector[],
  labels: Int32Array,
  classes: number,
  features: number,
  config: SvmConfig = DEFAULT_SVM,
  onClass?: (done: number) => void,
): SoftmaxWeights {
  return trainSvmOn(trainingRowsOf(rows, labels, features), classes, features, config, onClass);
}

/**
 * The class scores `logits` would give the held-out rows under the model `trainSvmOn` trains
 * (`heldOut.length` × `classes`, row after row), computed class by class as the solver finishes
 * each: a calibration fold needs only these, not a weight matrix of features × classes.
 */
export function svmHeldOutLogits(
  data: TrainingRows,
  heldOut: Int32Array,
  classes: number,
  features: number,
  config: SvmConfig = DEFAULT_SVM,
  onClass?: (done: number) => void,
): Float64Array {
  const { offsets, idx, val } = data.packed;
  const out = new Float64Array(heldOut.length * classes);
  // Rounded to float32 as the model's matrix would store them, so the scores match bit for bit.
  const column = new Float32Array(features);
  const score: ClassSink = (k, w, b) => {
    column.fill(0);
    for (let f = 0; f < features; f++) if (w[f] !== 0) column[f] = w[f];
    const bias = Math.fround(b);
    heldOut.forEach((r, h) => {
      let s = bias;
      for (let j = offsets[r]; j < offsets[r + 1]; j++) s += column[idx[j]] * val[j];
      out[h * classes + k] = s;
    });
  };
  solveClasses(data, classes, features, config, score, onClass);
  return out;
}
