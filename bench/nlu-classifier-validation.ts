// Validation-only check of the product's classifier as it ships (held-out calibration, pooled
// models): `npx tsx bench/nlu-classifier-validation.ts [datasets]` with EXP='{"bagShare":0.4}' or any
// other `ClassifierConfig` fields. Trains on train splits, reports on validation; never reads a test split.
import { performance } from 'node:perf_hooks';
import { resolve } from 'node:path';
import { OUT_OF_SCOPE } from '../core/nlu';
import { DEFAULT_CLASSIFIER, IntentClassifier, type ClassifierConfig } from '../nlu/classifier';
import { DATASETS, loadDataset, type DatasetName } from './nlu/datasets';
import { applyThreshold, computeMetrics, tuneThreshold } from '../nlu/eval/metrics';

const overrides = JSON.parse(process.env.EXP ?? '{}') as Partial<ClassifierConfig>;
const names = (process.argv.slice(2).length ? process.argv.slice(2) : DATASETS) as DatasetName[];
const root = resolve('..', 'shared', 'datasets');

async function main(): Promise<void> {
  for (const name of names) {
    const splits = loadDataset(name, root);
    const started = performance.now();
    const classifier = await IntentClassifier.train(splits.train, 'en', {
      ...DEFAULT_CLASSIFIER,
      ...overrides,
    });
    const seconds = (performance.now() - started) / 1000;
    const raw = splits.validation.map((e) => {
      const ranked = classifier.rank(e.text);
      const bestInScope = ranked.find((r) => r.name !== OUT_OF_SCOPE) ?? ranked[0];
      return { gold: e.intent, top: ranked[0].name, confidence: bestInScope.confidence };
    });
    const metrics = computeMetrics(applyThreshold(raw, tuneThreshold(raw)));
    const oos = metrics.oosRecall === null ? '-' : (metrics.oosRecall * 100).toFixed(1);
    console.log(
      `${name}: val acc ${(metrics.accuracy * 100).toFixed(2)}  oos ${oos}  train ${seconds.toFixed(1)} s`,
    );
  }
}

void main();
