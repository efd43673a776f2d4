import type { SparseVector } from './features';
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

interface Problem {
  rows: readonly SparseVector[];
  /** x·x + bias² + 1/(2C) per row: the diagonal of the dual Hessian. */
  qii: Float64Array;
}

function prepare(rows: readonly SparseVector[], c: number): Problem {
  const qii = new Float64Array(rows.length);
  const diag = 1 / (2 * c);
  rows.forEach((x, i) => {
    let s = BIAS_FEATURE * BIAS_FEATURE + diag;
    for (let j = 0; j < x.val.length; j++) s += x.val[j] * x.val[j];
    qii[i] = s;
  });
  return { rows, qii };
}

/**
 * Dual coordinate descent with shrinking (Hsieh et al. 2008, liblinear's solver 1) for one
 * class against the rest. Writes the weights into column `k` of the feature-major matrix.
 */
function trainOneClass(
  problem: Problem,
  labels: Int32Array,
  k: number,
  config: SvmConfig,
  w: Float64Array,
): number {
  const { rows, qii } = problem;
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
      const x = rows[i];
      const y = labels[i] === k ? 1 : -1;
      let dot = bias * BIAS_FEATURE;
      for (let j = 0; j < x.idx.length; j++) dot += w[x.idx[j]] * x.val[j];
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
        for (let j = 0; j < x.idx.length; j++) w[x.idx[j]] += d * x.val[j];
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

/**
 * Trains classes `from..to-1` (all by default), so workers can split the classes between them.
 * Scores are raw margins; the classifier turns them into probabilities by temperature scaling.
 */
export function trainSvm(
  rows: readonly SparseVector[],
  labels: Int32Array,
  classes: number,
  features: number,
  config: SvmConfig = DEFAULT_SVM,
  onClass?: (done: number) => void,
  from = 0,
  to = classes,
): SoftmaxWeights {
  const problem = prepare(rows, config.c);
  const weights = new Float32Array(features * classes);
  const bias = new Float32Array(classes);
  const w = new Float64Array(features);
  for (let k = from; k < to; k++) {
    bias[k] = trainOneClass(problem, labels, k, config, w);
    for (let f = 0; f < features; f++) if (w[f] !== 0) weights[f * classes + k] = w[f];
    onClass?.(k - from + 1);
  }
  return { classes, features, weights, bias };
}
