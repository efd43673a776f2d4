// `npm run bench:nlu`: every public dataset, Parley and its peers, one system per child process.
// Writes artifacts/nlu-bench.json and prints a table. Pass dataset names to run fewer.
// Also times a retrain of the demo bot: speed is measured here, never asserted in tests.
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';

const datasets =
  process.argv.slice(2).length > 0 ? process.argv.slice(2) : ['snips', 'hwu64', 'banking77', 'clinc150'];
const rows: Record<string, unknown>[] = [];
const demo = spawnSync(
  process.execPath,
  [
    ...process.execArgv,
    'cli/main.ts',
    'nlu',
    'train',
    '--bot',
    'bots/acme',
    '--out',
    'artifacts/nlu-model.json',
    '--json',
  ],
  { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] },
);
if (demo.status !== 0) throw new Error('demo bot training failed');
const trained = JSON.parse(demo.stdout.trim().split('\n').pop() ?? '{}') as {
  trainSeconds: number;
  phrases: number;
};
console.log(`demo bot (bots/acme, ${trained.phrases} phrases) retrains in ${trained.trainSeconds} s`);
rows.push({ dataset: 'acme-demo', system: 'parley', trainSeconds: trained.trainSeconds });
for (const dataset of datasets) {
  const run = spawnSync(
    process.execPath,
    [
      ...process.execArgv,
      'cli/main.ts',
      'nlu',
      'bench',
      '--dataset',
      dataset,
      '--peer',
      'natural-bayes',
      '--peer',
      'nlpjs',
      '--json',
    ],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 1 << 24 },
  );
  if (run.status !== 0) throw new Error(`bench on ${dataset} failed`);
  for (const line of run.stdout.trim().split('\n')) {
    if (!line.startsWith('{')) continue;
    rows.push(JSON.parse(line) as Record<string, unknown>);
    console.log(line);
  }
}
mkdirSync('artifacts', { recursive: true });
writeFileSync('artifacts/nlu-bench.json', JSON.stringify(rows, null, 2));
console.table(rows);
