// `npm run bench:nlu`: every public dataset, Parley and its peers, one system per child process.
// Writes artifacts/nlu-bench.json and prints a table. Pass dataset names to run fewer.
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';

const datasets =
  process.argv.slice(2).length > 0 ? process.argv.slice(2) : ['snips', 'hwu64', 'banking77', 'clinc150'];
const rows: Record<string, unknown>[] = [];
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
