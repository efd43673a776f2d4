import { OUT_OF_SCOPE } from '../../core/nlu';
import { calibrationReport, type CalibrationReport } from '../calibration';
import type { ProgressListener } from '../classifier';
import type { TrainingData, TrainingExample } from '../loader';
import { NluModel, type NluOptions } from '../model';
import { seededRandom, shuffle } from '../softmax';
import { computeMetrics, type Metrics, type Prediction } from './metrics';

export interface EvalOptions {
  folds?: number;
  seed?: number;
  nlu?: NluOptions;
  onProgress?: ProgressListener;
}

/** A held-out verdict with the top confidence before the threshold, for histograms. */
export interface EvalPrediction extends Prediction {
  text: string;
  language: string;
  /** The best real intent, whether or not the threshold let it through. */
  top: string;
  topConfidence: number;
}

export interface EvalResult {
  summary: {
    folds: number;
    phrases: number;
    languages: string[];
    threshold: number;
    accuracy: number;
    /** Accuracy of the top guess with no threshold: what the classifier alone gets right. */
    topAccuracy: number;
    macroF1: number;
    ece: number;
    outOfScopeRate: number;
  };
  metrics: Metrics;
  calibration: CalibrationReport;
  predictions: EvalPrediction[];
  labels: string[];
}

/** Stratified k-fold assignment: each intent's phrases are dealt round-robin after a seeded shuffle. */
export function assignFolds(examples: readonly TrainingExample[], folds: number, seed: number): number[] {
  const random = seededRandom(seed);
  const groups = new Map<string, number[]>();
  examples.forEach((e, i) => {
    const key = `${e.language}\u0000${e.intent}`;
    groups.set(key, [...(groups.get(key) ?? []), i]);
  });
  const fold = new Array<number>(examples.length).fill(0);
  let next = 0;
  for (const members of groups.values()) for (const i of shuffle(members, random)) fold[i] = next++ % folds;
  return fold;
}

/**
 * k-fold cross-validation of a bot's own phrases: every phrase is classified by a model
 * that never saw it, with the same defaults the bot runs with.
 */
export async function evaluateBot(data: TrainingData, options: EvalOptions = {}): Promise<EvalResult> {
  const folds = Math.max(2, options.folds ?? 5);
  const fold = assignFolds(data.examples, folds, options.seed ?? 1);
  const predictions: EvalPrediction[] = [];
  let threshold = 0;
  for (let f = 0; f < folds; f++) {
    const train = data.examples.filter((_, i) => fold[i] !== f);
    const model = await NluModel.train({ ...data, examples: train }, options.nlu);
    threshold = model.threshold;
    data.examples.forEach((e, i) => {
      if (fold[i] !== f) return;
      const ranked = model.rank(e.text, e.language);
      const { intent, ranking } = model.decide(ranked);
      predictions.push({
        text: e.text,
        language: e.language,
        gold: e.intent,
        predicted: intent.name,
        confidence: intent.confidence,
        top: ranking[0]?.name ?? OUT_OF_SCOPE,
        topConfidence: ranking[0]?.confidence ?? 0,
      });
    });
    options.onProgress?.(f + 1, folds);
  }
  const metrics = computeMetrics(predictions);
  // Calibration is about the classifier's own top guess, before any threshold.
  const calibration = calibrationReport(
    predictions.map((p) => ({ confidence: p.topConfidence, correct: p.top === p.gold })),
  );
  return {
    summary: {
      folds,
      phrases: data.examples.length,
      languages: [...new Set(data.examples.map((e) => e.language))],
      threshold,
      accuracy: metrics.accuracy,
      topAccuracy: predictions.filter((p) => p.top === p.gold).length / Math.max(1, predictions.length),
      macroF1: metrics.macroF1,
      ece: calibration.ece,
      outOfScopeRate:
        predictions.filter((p) => p.predicted === OUT_OF_SCOPE).length / Math.max(1, predictions.length),
    },
    metrics,
    calibration,
    predictions,
    labels: [...new Set(data.examples.map((e) => e.intent))].sort(),
  };
}
