import { spawn } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { SingleBar, Presets } from 'cli-progress';
import { botDirectory } from '../../app/bot-definition';
import { loadBotTrainingData, loadNluModel, trainNlu } from '../../nlu';
import { OUT_OF_SCOPE } from '../../core/nlu';
import type { ProgressListener } from '../../nlu/classifier';
import { DATASETS, loadDataset, type DatasetName } from '../../bench/nlu/datasets';
import { runBench, type BenchResult } from '../../bench/nlu/run';
import { PEERS, SYSTEMS, type SystemName } from '../../bench/nlu/systems';
import { evaluateBot } from '../../nlu/eval/evaluate';
import type { ThresholdObjective } from '../../nlu/eval/metrics';
import { renderReport } from '../../nlu/eval/report-html';

/** A progress bar on stderr, so `--json` output on stdout stays clean. */
function progressBar(label: string): { listener: ProgressListener; stop: () => void } {
  const bar = new SingleBar(
    {
      format: `${label} [{bar}] {percentage}% | {value}/{total} steps | {duration}s`,
      stream: process.stderr,
    },
    Presets.shades_classic,
  );
  let started = false;
  return {
    listener: (done, total) => {
      if (!started) bar.start(total, 0);
      started = true;
      bar.setTotal(total);
      bar.update(done);
    },
    stop: () => {
      if (started) bar.stop();
    },
  };
}

/** `--bot` is a bot name under bots/ or a folder. */
const nluDirOf = (bot: string): string => join(botDirectory(bot), 'nlu');
const pct = (x: number | null): string => (x === null ? '-' : `${(x * 100).toFixed(1)}%`);

export interface TrainOptions {
  bot: string;
  out: string;
  threshold?: string;
  json?: boolean;
}

export async function trainCommand(options: TrainOptions): Promise<void> {
  const started = performance.now();
  const data = await loadBotTrainingData(nluDirOf(options.bot));
  const loaded = performance.now();
  const progress = options.json ? undefined : progressBar('training');
  const model = await trainNlu(data, {
    onProgress: progress?.listener,
    threshold: options.threshold === undefined ? undefined : Number(options.threshold),
  });
  progress?.stop();
  const trainSeconds = (performance.now() - loaded) / 1000;
  const totalSeconds = (performance.now() - started) / 1000;
  await mkdir(dirname(resolve(options.out)), { recursive: true });
  await writeFile(options.out, model.serialize());
  if (options.json) {
    console.log(
      JSON.stringify({
        bot: options.bot,
        intents: model.intents().length,
        languages: model.languages(),
        phrases: data.examples.length,
        trainSeconds: Number(trainSeconds.toFixed(3)),
        totalSeconds: Number(totalSeconds.toFixed(3)),
        out: options.out,
      }),
    );
    return;
  }
  console.log(
    `trained ${model.intents().length} intents in ${model.languages().join(', ')} from ${data.examples.length} phrases ` +
      `in ${trainSeconds.toFixed(2)} s (${totalSeconds.toFixed(2)} s with loading) -> ${options.out}`,
  );
}

export interface ParseOptions {
  bot: string;
  model?: string;
  locale?: string;
}

export async function parseCommand(text: string, options: ParseOptions): Promise<void> {
  const model = options.model
    ? loadNluModel(await readFile(options.model, 'utf8'))
    : await trainNlu(await loadBotTrainingData(nluDirOf(options.bot)));
  console.log(JSON.stringify(await model.parse(text, { locale: options.locale }), null, 2));
}

export interface EvalOptions {
  bot: string;
  folds: string;
  report: string;
  json?: boolean;
}

export async function evalCommand(options: EvalOptions): Promise<void> {
  const data = await loadBotTrainingData(nluDirOf(options.bot));
  const progress = progressBar('cross-validating');
  const result = await evaluateBot(data, { folds: Number(options.folds), onProgress: progress.listener });
  progress.stop();
  await mkdir(dirname(resolve(options.report)), { recursive: true });
  await writeFile(options.report, renderReport(result, options.bot));
  if (options.json) {
    console.log(JSON.stringify({ ...result.summary, report: options.report }));
    return;
  }
  const { summary } = result;
  console.log(`${summary.folds}-fold cross-validation on ${summary.phrases} phrases of ${options.bot}`);
  console.log(
    `accuracy ${pct(summary.accuracy)}  macro-F1 ${pct(summary.macroF1)}  ECE ${summary.ece.toFixed(3)}`,
  );
  console.log('\nintent                precision  recall     F1  support');
  for (const l of result.metrics.perLabel) {
    console.log(
      `${l.label.padEnd(20)} ${pct(l.precision).padStart(10)} ${pct(l.recall).padStart(7)} ${pct(l.f1).padStart(6)} ${String(l.support).padStart(8)}`,
    );
  }
  console.log('\nworst confusions (gold -> predicted):');
  for (const c of result.metrics.confusions.slice(0, 10))
    console.log(`  ${c.count} x ${c.gold} -> ${c.predicted}`);
  console.log('\ncalibration (confidence bin: mean confidence / accuracy, count):');
  for (const b of result.calibration.bins.filter((bin) => bin.count > 0)) {
    console.log(
      `  ${b.from.toFixed(1)}-${b.to.toFixed(1)}: ${pct(b.meanConfidence)} / ${pct(b.accuracy)} (${b.count})`,
    );
  }
  console.log(`\nHTML report: ${options.report}`);
}

/** Each system runs in a child process of its own, so peak memory and timings are its alone. */
function runChild(dataset: DatasetName, system: SystemName, options: BenchOptions): Promise<BenchResult> {
  const datasetsDir = options.datasets;
  const args = [
    ...process.execArgv,
    process.argv[1],
    'nlu',
    'bench',
    '--dataset',
    dataset,
    '--system',
    system,
  ];
  if (!options.oosTrain) args.push('--no-oos-train');
  args.push('--objective', options.objective);
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [...args, '--datasets', datasetsDir, '--json'], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.on('error', fail);
    child.on('close', (code) => {
      const line = out.trim().split('\n').pop() ?? '';
      if (code !== 0 || !line.startsWith('{'))
        fail(new Error(`${system} on ${dataset} failed (exit ${code})`));
      else done(JSON.parse(line) as BenchResult);
    });
  });
}

export interface BenchOptions {
  dataset: string;
  peer: string[];
  json?: boolean;
  datasets: string;
  system?: string;
  oosTrain: boolean;
  objective: string;
}

function printTable(rows: (BenchResult & { system: string })[]): void {
  console.log(
    'system          dataset     accuracy  OOS recall  macro-F1  train s   p50 ms   p99 ms  peak MB',
  );
  for (const r of rows) {
    console.log(
      [
        r.system.padEnd(15),
        r.dataset.padEnd(10),
        pct(r.accuracy).padStart(9),
        pct(r.oosRecall).padStart(11),
        pct(r.macroF1).padStart(9),
        r.trainSeconds.toFixed(1).padStart(8),
        r.p50Ms.toFixed(3).padStart(8),
        r.p99Ms.toFixed(3).padStart(8),
        r.peakRssMb.toFixed(0).padStart(8),
      ].join(' '),
    );
  }
}

export async function benchCommand(options: BenchOptions): Promise<void> {
  if (!DATASETS.includes(options.dataset as DatasetName))
    throw new Error(`--dataset must be one of ${DATASETS.join(', ')}`);
  const dataset = options.dataset as DatasetName;
  if (options.objective !== 'accuracy' && options.objective !== 'balanced')
    throw new Error('--objective must be accuracy or balanced');
  const objective: ThresholdObjective = options.objective;
  const unknown = options.peer.filter((p) => !PEERS.includes(p as (typeof PEERS)[number]));
  if (unknown.length > 0) throw new Error(`unknown peer ${unknown.join(', ')}; peers: ${PEERS.join(', ')}`);
  if (options.system || options.peer.length === 0) {
    const system = (options.system ?? 'parley') as SystemName;
    if (!SYSTEMS.includes(system)) throw new Error(`unknown system ${system}`);
    const progress = system === 'parley' && !options.json ? progressBar(`training on ${dataset}`) : undefined;
    const splits = loadDataset(dataset, options.datasets);
    // Without out-of-scope training phrases, rejection rests on the calibrated threshold alone.
    if (!options.oosTrain) {
      const inScope = (e: { intent: string }): boolean => e.intent !== OUT_OF_SCOPE;
      splits.train = splits.train.filter(inScope);
      splits.fullTrain = splits.fullTrain?.filter(inScope);
    }
    const { threshold, ...result } = await runBench(system, splits, progress?.listener, objective);
    progress?.stop();
    if (options.json) console.log(JSON.stringify(result));
    else printTable([{ system, ...result }]);
    if (!options.json)
      console.log(`(out-of-scope threshold tuned on validation for ${objective}: ${threshold})`);
    return;
  }
  const rows: (BenchResult & { system: string })[] = [];
  for (const system of ['parley', ...options.peer] as SystemName[]) {
    const result = await runChild(dataset, system, options);
    rows.push({ system, ...result });
    if (options.json) console.log(JSON.stringify({ ...result, system }));
  }
  if (!options.json) printTable(rows);
}
