import { softmax } from './softmax';

/** Held-out class scores with the true class index, the raw material of calibration. */
export interface ScoredExample {
  logits: Float64Array;
  label: number;
}

function meanNll(examples: readonly ScoredExample[], temperature: number): number {
  let total = 0;
  for (const { logits, label } of examples) {
    const p = softmax(Float64Array.from(logits), temperature);
    total -= Math.log(Math.max(p[label], 1e-12));
  }
  return total / Math.max(1, examples.length);
}

/**
 * Temperature scaling (Guo et al. 2017): one scalar that makes held-out softmax probabilities
 * honest, found by golden-section search on log T. Ranking is unchanged, only confidence moves.
 */
export function fitTemperature(examples: readonly ScoredExample[]): number {
  if (examples.length === 0) return 1;
  let lo = Math.log(0.02);
  let hi = Math.log(50);
  const phi = (Math.sqrt(5) - 1) / 2;
  let a = hi - phi * (hi - lo);
  let b = lo + phi * (hi - lo);
  let fa = meanNll(examples, Math.exp(a));
  let fb = meanNll(examples, Math.exp(b));
  for (let i = 0; i < 40; i++) {
    if (fa < fb) {
      hi = b;
      b = a;
      fb = fa;
      a = hi - phi * (hi - lo);
      fa = meanNll(examples, Math.exp(a));
    } else {
      lo = a;
      a = b;
      fa = fb;
      b = lo + phi * (hi - lo);
      fb = meanNll(examples, Math.exp(b));
    }
  }
  return Math.exp((lo + hi) / 2);
}

export interface CalibrationBin {
  /** Lower edge of the confidence bin. */
  from: number;
  to: number;
  count: number;
  meanConfidence: number;
  accuracy: number;
}

export interface CalibrationReport {
  bins: CalibrationBin[];
  /** Expected calibration error: the count-weighted gap between confidence and accuracy. */
  ece: number;
}

/** Reliability table over equal-width confidence bins. */
export function calibrationReport(
  predictions: readonly { confidence: number; correct: boolean }[],
  binCount = 10,
): CalibrationReport {
  const bins: CalibrationBin[] = Array.from({ length: binCount }, (_, i) => ({
    from: i / binCount,
    to: (i + 1) / binCount,
    count: 0,
    meanConfidence: 0,
    accuracy: 0,
  }));
  for (const { confidence, correct } of predictions) {
    const bin = bins[Math.min(binCount - 1, Math.floor(confidence * binCount))];
    bin.count++;
    bin.meanConfidence += confidence;
    bin.accuracy += correct ? 1 : 0;
  }
  let ece = 0;
  for (const bin of bins) {
    if (bin.count === 0) continue;
    bin.meanConfidence /= bin.count;
    bin.accuracy /= bin.count;
    ece += (bin.count / predictions.length) * Math.abs(bin.accuracy - bin.meanConfidence);
  }
  return { bins, ece };
}
