// `npm run bench:nlu-speed [-- --datasets <dir> --per-dataset 2000 --json]`: how long the NLU takes per
// message, on the demo bot's model, over its own training phrases and the shared datasets' test splits.
// Prints p50/p99 of the classifier alone (`rank`), of entity extraction, of a whole `parse` with the
// result cache off, and of a `parse` of a message seen before (cache on). Also checks the date gate: every
// message where chrono finds a date must have passed it (exit 1 otherwise).
//
// The code under test is loaded from the current directory, so one script compares two checkouts:
// `(cd ../old && npx tsx /path/to/bench/nlu-speed.bench.ts)`. Timings only: never asserted in tests.
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { EntityDefinition } from '../nlu/entities';
import type { NluModel } from '../nlu/model';

const { values } = parseArgs({
  options: {
    datasets: { type: 'string', default: resolve('..', 'shared', 'datasets') },
    'per-dataset': { type: 'string', default: '2000' },
    json: { type: 'boolean', default: false },
  },
});
const perDataset = Number(values['per-dataset']);
const root = process.cwd();
const now = new Date('2025-06-04T10:00:00Z');

interface Sample {
  text: string;
  language: string;
}

const load = async <T>(path: string): Promise<T> => (await import(resolve(root, path))) as T;

async function samples(): Promise<Sample[]> {
  const { loadBotTrainingData } = await load<typeof import('../nlu/builtin-skills')>('nlu/builtin-skills.ts');
  const data = await loadBotTrainingData(resolve(root, 'bots/acme/nlu'));
  const all: Sample[] = data.examples.map(({ text, language }) => ({ text, language }));
  if (!existsSync(values.datasets)) {
    console.error(`no datasets at ${values.datasets} (--datasets <dir>): the demo bot's phrases only`);
    return all;
  }
  const { DATASETS, loadDataset } = await load<typeof import('./nlu/datasets')>('bench/nlu/datasets.ts');
  for (const name of DATASETS) {
    const test = loadDataset(name, values.datasets).test.slice(0, perDataset);
    all.push(...test.map(({ text }) => ({ text, language: 'en' })));
  }
  return all;
}

function percentiles(ms: number[]): { p50: number; p99: number } {
  const sorted = [...ms].sort((a, b) => a - b);
  const at = (p: number): number =>
    sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)] ?? NaN;
  return { p50: Number(at(0.5).toFixed(4)), p99: Number(at(0.99).toFixed(4)) };
}

/**
 * Times `run` on every sample after one untimed pass (JIT, stemmer caches). `again`: each sample's untimed
 * run comes right before its timed one, as for a message many customers send.
 */
async function time(all: Sample[], run: (s: Sample) => unknown, again = false): Promise<number[]> {
  if (!again) for (const s of all) await run(s);
  const ms: number[] = [];
  for (const s of all) {
    if (again) await run(s);
    const t0 = performance.now();
    await run(s);
    ms.push(performance.now() - t0);
  }
  return ms;
}

async function main(): Promise<void> {
  const nlu = await load<typeof import('../nlu')>('nlu/index.ts');
  const trained = await nlu.trainBotNlu(resolve(root, 'bots/acme/nlu'));
  const json = trained.serialize();
  // Older checkouts have no cache and ignore the option.
  const uncached: NluModel = nlu.loadNluModel(json, { cacheSize: 0 });
  const cached: NluModel = nlu.loadNluModel(json);
  const entities = await load<typeof import('../nlu/entities')>('nlu/entities/index.ts');
  const definitions = (JSON.parse(json) as { entities: EntityDefinition[] }).entities;
  // Older checkouts prepare definitions on every call.
  const extractor = 'EntityExtractor' in entities ? new entities.EntityExtractor(definitions) : undefined;
  const all = await samples();
  const context = (language: string) => ({ language, now, region: 'GB' as const });
  const rows = {
    classifier: percentiles(await time(all, (s) => uncached.rank(s.text, s.language))),
    entities: percentiles(
      await time(all, (s) =>
        extractor
          ? extractor.extract(s.text, context(s.language))
          : entities.extractEntities(s.text, definitions, context(s.language)),
      ),
    ),
    parse: percentiles(await time(all, (s) => uncached.parse(s.text, { now, locale: s.language }))),
    // Second sight of each message: what a frequent short message costs with the cache on.
    parseRepeated: percentiles(
      await time(all, (s) => cached.parse(s.text, { now, locale: s.language }), true),
    ),
  };
  const gate = await dateGate(all);
  const result = { root, messages: all.length, ...rows, ...gate };
  if (values.json) console.log(JSON.stringify(result));
  else {
    console.log(`${root}: ${all.length} messages`);
    console.table(rows);
    console.log(gate);
  }
  if (gate.dateGateMisses > 0) process.exitCode = 1;
}

/** How many messages skip chrono, and that none of them had a date chrono would have found. */
async function dateGate(all: Sample[]): Promise<{ dateGateSkipped: number; dateGateMisses: number }> {
  if (!existsSync(resolve(root, 'nlu/entities/gates.ts'))) return { dateGateSkipped: 0, dateGateMisses: 0 };
  const { mayHaveDate } = await load<typeof import('../nlu/entities/gates')>('nlu/entities/gates.ts');
  const { tokens } = await load<typeof import('../nlu/entities/custom')>('nlu/entities/custom.ts');
  const { extractDates } = await load<typeof import('../nlu/entities/builtin')>('nlu/entities/builtin.ts');
  let skipped = 0;
  let misses = 0;
  for (const { text, language } of all) {
    if (mayHaveDate(text, tokens(text), language)) continue;
    skipped++;
    if (extractDates(text, { language, now, region: 'GB' }).length > 0) {
      misses++;
      console.error(`date gate missed: ${JSON.stringify(text)}`);
    }
  }
  return { dateGateSkipped: skipped, dateGateMisses: misses };
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
