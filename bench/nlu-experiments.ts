// Validation-only experiments for choosing the NLU's one default configuration.
// `npx tsx bench/nlu-experiments.ts [datasets...]` with EXP='{"features":{...},"svm":{...},"softmax":{...}}'.
// Trains on train splits, reports on validation splits; never reads a test split.
import { performance } from 'node:perf_hooks';
import { resolve } from 'node:path';
import { OUT_OF_SCOPE } from '../core/nlu';
import { fitTemperature } from '../nlu/calibration';
import { DEFAULT_FEATURES, Featurizer } from '../nlu/features';
import { DATASETS, loadDataset, type DatasetName } from './nlu/datasets';
import { applyThreshold, computeMetrics, tuneThreshold } from '../nlu/eval/metrics';
import { DEFAULT_SOFTMAX, logits, softmax, trainSoftmax, type SoftmaxWeights } from '../nlu/softmax';
import { DEFAULT_SVM, trainSvm } from '../nlu/svm';

const exp = JSON.parse(process.env.EXP ?? '{}') as {
  features?: Partial<typeof DEFAULT_FEATURES>;
  svm?: Partial<typeof DEFAULT_SVM>;
  softmax?: Partial<typeof DEFAULT_SOFTMAX>;
  skipLr?: boolean;
};
const names = (process.argv.slice(2).length ? process.argv.slice(2) : DATASETS) as DatasetName[];
const root = resolve('..', 'shared', 'datasets');

for (const name of names) {
  const splits = loadDataset(name, root);
  const labels = [...new Set(splits.train.map((e) => e.intent))].sort();
  const index = new Map(labels.map((l, i) => [l, i]));
  let t = performance.now();
  const featurizer = Featurizer.fit(
    splits.train.map((e) => e.text),
    'en',
    { ...DEFAULT_FEATURES, ...exp.features },
  );
  const rows = splits.train.map((e) => featurizer.transform(e.text));
  const y = Int32Array.from(splits.train.map((e) => index.get(e.intent) ?? 0));
  const valRows = splits.validation.map((e) => featurizer.transform(e.text));
  const valY = Int32Array.from(splits.validation.map((e) => index.get(e.intent) ?? -1));
  const nnz = rows.reduce((s, r) => s + r.idx.length, 0) / rows.length;
  const line = [
    `${name}: ${featurizer.size} features, ${nnz.toFixed(0)} nnz/row, featurise ${((performance.now() - t) / 1000).toFixed(1)}s`,
  ];
  const models: Record<string, SoftmaxWeights> = {};
  if (!exp.skipLr) {
    t = performance.now();
    models.lr = trainSoftmax(rows, y, labels.length, featurizer.size, { ...DEFAULT_SOFTMAX, ...exp.softmax });
    line.push(`lr ${((performance.now() - t) / 1000).toFixed(1)}s`);
  }
  t = performance.now();
  models.svm = trainSvm(rows, y, labels.length, featurizer.size, { ...DEFAULT_SVM, ...exp.svm });
  line.push(`svm ${((performance.now() - t) / 1000).toFixed(1)}s`);
  console.log(line.join(', '));
  const probs: Record<string, Float64Array[]> = {};
  for (const [key, model] of Object.entries(models)) {
    const z = valRows.map((r) => logits(model, r));
    const known = z.map((l, i) => ({ logits: l, label: valY[i] })).filter((s) => s.label >= 0);
    const temperature = fitTemperature(known);
    probs[key] = z.map((l) => softmax(Float64Array.from(l), temperature));
  }
  if (probs.lr) probs.ens = probs.lr.map((p, i) => p.map((v, c) => (v + probs.svm[i][c]) / 2));
  for (const [key, p] of Object.entries(probs)) {
    const raw = splits.validation.map((e, i) => {
      let best = 0;
      let bestIn = -1;
      for (let c = 0; c < labels.length; c++) {
        if (p[i][c] > p[i][best]) best = c;
        if (labels[c] !== OUT_OF_SCOPE && (bestIn < 0 || p[i][c] > p[i][bestIn])) bestIn = c;
      }
      return { gold: e.intent, top: labels[best], confidence: p[i][bestIn] };
    });
    const m = computeMetrics(applyThreshold(raw, tuneThreshold(raw)));
    const top1 = raw.filter((r) => r.top === r.gold).length / raw.length;
    console.log(
      `  ${key.padEnd(4)} val acc ${(m.accuracy * 100).toFixed(2)}  oos ${m.oosRecall === null ? '-' : (m.oosRecall * 100).toFixed(1)}  top1 ${(top1 * 100).toFixed(2)}`,
    );
  }
}
