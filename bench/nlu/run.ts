import { performance } from 'node:perf_hooks';
import { OUT_OF_SCOPE } from '../../core/nlu';
import type { ProgressListener } from '../../nlu/classifier';
import {
  applyThreshold,
  computeMetrics,
  tuneThreshold,
  type RawPrediction,
  type ThresholdObjective,
} from '../../nlu/eval/metrics';
import type { DatasetSplits, LabelledText } from './datasets';
import { createSystem, type BenchSystem, type SystemName } from './systems';

/** The figures `parley nlu bench --json` prints, one object per system. */
export interface BenchResult {
  dataset: string;
  accuracy: number;
  oosRecall: number | null;
  macroF1: number;
  trainSeconds: number;
  p50Ms: number;
  p99Ms: number;
  peakRssMb: number;
}

export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank];
}

async function predict(
  system: ReturnType<typeof createSystem>,
  items: readonly LabelledText[],
  latencies?: number[],
): Promise<RawPrediction[]> {
  const out: RawPrediction[] = [];
  for (const item of items) {
    const started = performance.now();
    const guess = await system.classify(item.text);
    latencies?.push(performance.now() - started);
    out.push({ gold: item.intent, top: guess.top, confidence: guess.confidence });
  }
  return out;
}

const round = (x: number, digits = 4): number => Number(x.toFixed(digits));

async function trainTimed(
  system: SystemName,
  examples: readonly LabelledText[],
  onProgress?: ProgressListener,
): Promise<{ runner: BenchSystem; seconds: number }> {
  const runner = createSystem(system);
  const started = performance.now();
  await runner.train(examples, onProgress);
  return { runner, seconds: (performance.now() - started) / 1000 };
}

/**
 * Train on train only, choose the out-of-scope threshold on validation only, report on test.
 * Where validation was carved out of train, the reported model (and its training time) learns
 * from the whole train split; a model of the carved remainder is trained first only when
 * validation has out-of-scope items to choose a threshold with (otherwise it is 0 whatever the
 * model, see `tuneThreshold`, and a second model would only inflate peak memory).
 * Peak memory is the whole process's, so each system should run in a process of its own.
 */
export async function runBench(
  system: SystemName,
  splits: DatasetSplits,
  onProgress?: ProgressListener,
  objective: ThresholdObjective = 'accuracy',
): Promise<BenchResult & { threshold: number }> {
  const { fullTrain } = splits;
  const needsThreshold = splits.validation.some((e) => e.intent === OUT_OF_SCOPE);
  let threshold = 0;
  let trained: { runner: BenchSystem; seconds: number } | undefined;
  if (!fullTrain || needsThreshold) {
    trained = await trainTimed(system, splits.train, onProgress);
    threshold = tuneThreshold(await predict(trained.runner, splits.validation), objective);
  }
  if (fullTrain) trained = await trainTimed(system, fullTrain, onProgress);
  if (!trained) throw new Error('no model was trained');
  const { runner, seconds: trainSeconds } = trained;
  const latencies: number[] = [];
  const metrics = computeMetrics(applyThreshold(await predict(runner, splits.test, latencies), threshold));
  latencies.sort((a, b) => a - b);
  return {
    dataset: splits.name,
    accuracy: round(metrics.accuracy),
    oosRecall: metrics.oosRecall === null ? null : round(metrics.oosRecall),
    macroF1: round(metrics.macroF1),
    trainSeconds: round(trainSeconds, 2),
    p50Ms: round(percentile(latencies, 50), 3),
    p99Ms: round(percentile(latencies, 99), 3),
    peakRssMb: round(process.resourceUsage().maxRSS / 1024, 1),
    threshold: round(threshold),
  };
}
