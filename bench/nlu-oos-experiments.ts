// Validation-only comparison of out-of-scope scores, for choosing the NLU's one default.
// `npx tsx bench/nlu-oos-experiments.ts [--no-oos-train] [datasets...]`
// Trains the product's classifiers (held-out temperature calibration included) on train splits,
// scores validation splits, tunes each variant's threshold on validation; never reads a test split.
import { performance } from 'node:perf_hooks';
import { resolve } from 'node:path';
import { OUT_OF_SCOPE } from '../core/nlu';
import { DEFAULT_CLASSIFIER, IntentClassifier } from '../nlu/classifier';
import { DATASETS, loadDataset, type DatasetName } from './nlu/datasets';
import {
  applyThreshold,
  computeMetrics,
  tuneThreshold,
  type RawPrediction,
  type ThresholdObjective,
} from '../nlu/eval/metrics';
import { OOS_SCORES, oosScore, type OosScoreKind } from '../nlu/oos';
import { DEFAULT_SOFTMAX } from '../nlu/softmax';

const args = process.argv.slice(2);
const oosTrain = !args.includes('--no-oos-train');
const objective: ThresholdObjective = args.includes('--objective=accuracy') ? 'accuracy' : 'balanced';
const picked = args.filter((a) => !a.startsWith('--'));
const names = (picked.length ? picked : DATASETS) as DatasetName[];
const root = resolve('..', 'shared', 'datasets');
const pct = (x: number | null): string => (x === null ? '   -' : (x * 100).toFixed(1).padStart(5));

/** The score under every rule, for one ranking (best first, out_of_scope included if trained). */
function raw(
  gold: string,
  ranked: readonly { name: string; confidence: number }[],
  kind: OosScoreKind,
): RawPrediction {
  return { gold, top: ranked[0].name, confidence: oosScore(ranked, kind) };
}

/** Probability that an out-of-scope item scores below an in-scope one (ties count half). */
function auroc(predictions: readonly RawPrediction[]): number | null {
  const inScope = predictions.filter((p) => p.gold !== OUT_OF_SCOPE).map((p) => p.confidence);
  const outOfScope = predictions.filter((p) => p.gold === OUT_OF_SCOPE).map((p) => p.confidence);
  if (inScope.length === 0 || outOfScope.length === 0) return null;
  const all = [...inScope.map((v) => ({ v, oos: false })), ...outOfScope.map((v) => ({ v, oos: true }))].sort(
    (a, b) => a.v - b.v,
  );
  let pairs = 0;
  let oosSoFar = 0;
  for (let i = 0; i < all.length;) {
    let j = i;
    let oosHere = 0;
    while (j < all.length && all[j].v === all[i].v) oosHere += all[j++].oos ? 1 : 0;
    const inHere = j - i - oosHere;
    pairs += inHere * (oosSoFar + oosHere / 2);
    oosSoFar += oosHere;
    i = j;
  }
  return pairs / (inScope.length * outOfScope.length);
}

/** Out-of-scope recall of the highest threshold that costs at most `points` of in-scope accuracy. */
function recallAtCost(predictions: readonly RawPrediction[], points: number): number | null {
  const inScope = predictions.filter((p) => p.gold !== OUT_OF_SCOPE);
  const outOfScope = predictions.filter((p) => p.gold === OUT_OF_SCOPE);
  if (outOfScope.length === 0) return null;
  const top1 = inScope.filter((p) => p.top === p.gold).length;
  const allowed = Math.floor((points / 100) * inScope.length);
  const lost = inScope
    .filter((p) => p.top === p.gold)
    .map((p) => p.confidence)
    .sort((a, b) => a - b);
  // Reject everything below the (allowed + 1)-th lowest confidence of a right answer.
  const threshold = allowed < top1 ? lost[allowed] : Infinity;
  return (
    outOfScope.filter((p) => p.top === OUT_OF_SCOPE || p.confidence < threshold).length / outOfScope.length
  );
}

/** Average two rankings class by class and sort again. */
function average(
  a: readonly { name: string; confidence: number }[],
  b: readonly { name: string; confidence: number }[],
): { name: string; confidence: number }[] {
  const other = new Map(b.map((r) => [r.name, r.confidence]));
  return a
    .map((r) => ({ name: r.name, confidence: (r.confidence + (other.get(r.name) ?? 0)) / 2 }))
    .sort((x, y) => y.confidence - x.confidence);
}

async function main(): Promise<void> {
  console.log(`objective: ${objective}; oos_train ${oosTrain ? 'used' : 'left out'}`);
  const transfer: {
    name: string;
    kind: string;
    ranked: { gold: string; ranked: { name: string; confidence: number }[] }[];
  }[] = [];
  const chosen = new Map<string, number>();
  for (const name of names) {
    const splits = loadDataset(name, root);
    const train = oosTrain ? splits.train : splits.train.filter((e) => e.intent !== OUT_OF_SCOPE);
    let t = performance.now();
    const svm = await IntentClassifier.train(train, 'en', DEFAULT_CLASSIFIER);
    const svmSeconds = (performance.now() - t) / 1000;
    t = performance.now();
    const lr = await IntentClassifier.train(train, 'en', {
      ...DEFAULT_CLASSIFIER,
      trainer: { kind: 'softmax', softmax: DEFAULT_SOFTMAX },
    });
    const lrSeconds = (performance.now() - t) / 1000;
    console.log(
      `${name}: svm ${svmSeconds.toFixed(1)} s, lr ${lrSeconds.toFixed(1)} s (training incl. calibration)`,
    );
    const rankings = {
      svm: splits.validation.map((e) => ({ gold: e.intent, ranked: svm.rank(e.text) })),
      'svm+lr': splits.validation.map((e) => ({
        gold: e.intent,
        ranked: average(svm.rank(e.text), lr.rank(e.text)),
      })),
    };
    console.log('  model   score          val acc  OOS rec  objective  threshold  top-1  AUROC  rec@-1pt');
    for (const [model, items] of Object.entries(rankings)) {
      for (const kind of OOS_SCORES) {
        const predictions = items.map((i) => raw(i.gold, i.ranked, kind));
        const threshold = tuneThreshold(predictions, objective);
        const m = computeMetrics(applyThreshold(predictions, threshold));
        const top1 =
          predictions.filter((p) => p.gold !== OUT_OF_SCOPE && p.top === p.gold).length /
          predictions.filter((p) => p.gold !== OUT_OF_SCOPE).length;
        const value = m.accuracy + (m.oosRecall ?? 0);
        if (splits.hasOutOfScope) chosen.set(`${model}/${kind}`, threshold);
        else transfer.push({ name, kind: `${model}/${kind}`, ranked: items });
        console.log(
          `  ${model.padEnd(7)} ${kind.padEnd(14)} ${pct(m.accuracy)}    ${pct(m.oosRecall)}    ${(value * 100).toFixed(1).padStart(6)}   ${threshold.toFixed(4).padStart(8)}  ${pct(top1)}  ${pct(auroc(predictions))}  ${pct(recallAtCost(predictions, 1))}`,
        );
      }
    }
  }

  // A bot with no out-of-scope validation data keeps the default threshold, so: what would the
  // threshold chosen on CLINC150 validation cost the other sets in in-scope accuracy?
  if (chosen.size > 0 && transfer.length > 0) {
    console.log('\nCLINC150-validation thresholds applied to the other validation sets (in-scope accuracy):');
    for (const { name, kind, ranked } of transfer) {
      const threshold = chosen.get(kind);
      if (threshold === undefined) continue;
      const scoreKind = kind.split('/')[1] as OosScoreKind;
      const m = computeMetrics(
        applyThreshold(
          ranked.map((i) => raw(i.gold, i.ranked, scoreKind)),
          threshold,
        ),
      );
      console.log(`  ${name.padEnd(10)} ${kind.padEnd(22)} ${pct(m.accuracy)}`);
    }
  }
}

void main();
