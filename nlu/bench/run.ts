import { performance } from 'node:perf_hooks';
import type { ProgressListener } from '../classifier';
import {
  applyThreshold,
  computeMetrics,
  tuneThreshold,
  type RawPrediction,
  type ThresholdObjective,
} from '../eval/metrics';
import type { DatasetSplits, LabelledText } from './datasets';
import { createSystem, type SystemName } from './systems';

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

/**
 * Train on train only, choose the out-of-scope threshold on validation only, report on test.
 * Peak memory is the whole process's, so each system should run in a process of its own.
 */
export async function runBench(
  system: SystemName,
  splits: DatasetSplits,
  onProgress?: ProgressListener,
  objective: ThresholdObjective = 'accuracy',
): Promise<BenchResult & { threshold: number }> {
  const runner = createSystem(system);
  const started = performance.now();
  await runner.train(splits.train, onProgress);
  const trainSeconds = (performance.now() - started) / 1000;
  const threshold = tuneThreshold(await predict(runner, splits.validation), objective);
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
