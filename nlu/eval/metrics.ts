import { OUT_OF_SCOPE } from '../../core/nlu';

/** One classified utterance: the gold label, the verdict after the threshold, and its confidence. */
export interface Prediction {
  gold: string;
  predicted: string;
  confidence: number;
}

export interface LabelMetrics {
  label: string;
  precision: number;
  recall: number;
  f1: number;
  support: number;
}

export interface ConfusionPair {
  gold: string;
  predicted: string;
  count: number;
}

export interface Metrics {
  /** Share of in-scope items given their own intent (out_of_scope verdicts count as wrong). */
  accuracy: number;
  /** Share of out-of-scope items rejected; null when there were none. */
  oosRecall: number | null;
  /** Unweighted mean F1 over the gold labels (a label only ever predicted, like a rejection, is not averaged in). */
  macroF1: number;
  perLabel: LabelMetrics[];
  /** Off-diagonal cells of the confusion matrix, most frequent first. */
  confusions: ConfusionPair[];
}

const ratio = (a: number, b: number): number => (b === 0 ? 0 : a / b);

export function computeMetrics(predictions: readonly Prediction[]): Metrics {
  const labels = [...new Set(predictions.flatMap((p) => [p.gold, p.predicted]))].sort();
  const tp = new Map<string, number>();
  const goldCount = new Map<string, number>();
  const predCount = new Map<string, number>();
  const pairs = new Map<string, ConfusionPair>();
  const inc = (m: Map<string, number>, k: string): void => void m.set(k, (m.get(k) ?? 0) + 1);
  for (const p of predictions) {
    inc(goldCount, p.gold);
    inc(predCount, p.predicted);
    if (p.gold === p.predicted) inc(tp, p.gold);
    else {
      const key = `${p.gold}\u0000${p.predicted}`;
      const pair = pairs.get(key) ?? { gold: p.gold, predicted: p.predicted, count: 0 };
      pair.count++;
      pairs.set(key, pair);
    }
  }
  const perLabel = labels.map((label) => {
    const hits = tp.get(label) ?? 0;
    const precision = ratio(hits, predCount.get(label) ?? 0);
    const recall = ratio(hits, goldCount.get(label) ?? 0);
    const f1 = ratio(2 * precision * recall, precision + recall);
    return { label, precision, recall, f1, support: goldCount.get(label) ?? 0 };
  });
  const inScope = predictions.filter((p) => p.gold !== OUT_OF_SCOPE);
  const outOfScope = predictions.filter((p) => p.gold === OUT_OF_SCOPE);
  return {
    accuracy: ratio(inScope.filter((p) => p.predicted === p.gold).length, inScope.length),
    oosRecall: outOfScope.length
      ? ratio(outOfScope.filter((p) => p.predicted === OUT_OF_SCOPE).length, outOfScope.length)
      : null,
    macroF1: ratio(
      perLabel.filter((l) => l.support > 0).reduce((sum, l) => sum + l.f1, 0),
      perLabel.filter((l) => l.support > 0).length,
    ),
    perLabel,
    confusions: [...pairs.values()].sort((a, b) => b.count - a.count || a.gold.localeCompare(b.gold)),
  };
}

/** A top guess before any threshold: what threshold tuning works from. */
export interface RawPrediction {
  gold: string;
  top: string;
  confidence: number;
}

export function applyThreshold(raw: readonly RawPrediction[], threshold: number): Prediction[] {
  return raw.map((r) => ({
    gold: r.gold,
    predicted: r.confidence < threshold ? OUT_OF_SCOPE : r.top,
    confidence: r.confidence,
  }));
}

/**
 * What a tuned threshold maximises on validation. `accuracy` (the default, the CLINC150 paper's
 * setting): accuracy with out_of_scope counted as one more class, each item weighed alike.
 * `balanced`: in-scope accuracy plus out-of-scope recall, each a rate, so it does not depend on
 * how many out-of-scope items the validation split holds (it rejects far more in-scope items).
 */
export type ThresholdObjective = 'balanced' | 'accuracy';

/**
 * The threshold on `confidence` (any score where higher means "more in scope") that maximises
 * the objective on validation. With no out-of-scope items in validation, no threshold can help
 * and 0 is returned.
 */
export function tuneThreshold(
  raw: readonly RawPrediction[],
  objective: ThresholdObjective = 'accuracy',
): number {
  const inScope = raw.filter((r) => r.gold !== OUT_OF_SCOPE).length;
  const outOfScope = raw.length - inScope;
  if (outOfScope === 0) return 0;
  const score = (correct: number, rejected: number): number =>
    objective === 'balanced' ? (inScope ? correct / inScope : 0) + rejected / outOfScope : correct + rejected;
  // Sweep thresholds upwards: passing an item's confidence flips it to out_of_scope.
  const sorted = [...raw].sort((a, b) => a.confidence - b.confidence);
  let correct = raw.filter((r) => r.gold !== OUT_OF_SCOPE && r.top === r.gold).length;
  let rejected = raw.filter((r) => r.gold === OUT_OF_SCOPE && r.top === OUT_OF_SCOPE).length;
  let best = Math.min(0, sorted[0].confidence);
  let bestScore = score(correct, rejected);
  for (let i = 0; i < sorted.length; i++) {
    const r = sorted[i];
    if (r.gold !== OUT_OF_SCOPE && r.top === r.gold) correct--;
    if (r.gold === OUT_OF_SCOPE && r.top !== OUT_OF_SCOPE) rejected++;
    if (i + 1 < sorted.length && sorted[i + 1].confidence === r.confidence) continue;
    const value = score(correct, rejected);
    if (value > bestScore) {
      bestScore = value;
      // Midway to the next confidence, so the threshold is not tied to one validation item.
      best = i + 1 < sorted.length ? (r.confidence + sorted[i + 1].confidence) / 2 : r.confidence + 1e-9;
    }
  }
  return best;
}
