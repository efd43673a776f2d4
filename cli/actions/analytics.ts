import { readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { buildRuntime, loadBotDefinition } from '../../app/bootstrap';
import type { Message } from '../../core/message';
import type { ParleyConfig } from '../../app/config';
import { silentLogger } from '../../stores/silent-logger';
import type { AnalyticsStore } from '../../core/analytics';
import { createMemoryAnalytics } from '../../stores/memory-analytics';
import { openPostgresAnalytics } from '../../stores/postgres/analytics-store';
import { trainBotNlu } from '../../nlu';
import { createCaseService } from '../../handoff/case-service';
import { analyticsDumpSchema, buildReport, parseDate, type AnalyticsDump } from '../../analytics/report';
import { renderReportHtml } from '../../analytics/report-html';
import { simulateDay } from '../../analytics/simulation';
import type { CliOutput } from '../commands/flows';

export interface ReportOptions {
  from: string;
  to: string;
  out?: string;
  json: boolean;
  /** A file written by `parley simulate --out`, instead of the configured database. */
  events?: string;
  bot: string;
}

const DAY_MS = 86_400_000;
const EVERYTHING = { from: 0, to: Number.MAX_SAFE_INTEGER };

/** A plain date as `--to` is the whole of that day. */
function periodOf(options: Pick<ReportOptions, 'from' | 'to'>) {
  const from = parseDate(options.from, '--from');
  const to = parseDate(options.to, '--to') + (/^\d{4}-\d{2}-\d{2}$/.test(options.to) ? DAY_MS : 0);
  if (to <= from) throw new Error('--to must be after --from');
  return { from, to };
}

async function openSource(config: ParleyConfig, file?: string): Promise<AnalyticsStore> {
  const retention = {
    retentionMs: Number.MAX_SAFE_INTEGER / 4,
    questionRetentionMs: Number.MAX_SAFE_INTEGER / 4,
  };
  if (file) {
    const dump = analyticsDumpSchema.parse(JSON.parse(await readFile(file, 'utf8')));
    const store = createMemoryAnalytics(retention);
    await store.record(dump.events);
    for (const question of dump.questions) await store.recordQuestion(question);
    return store;
  }
  if (!config.database) {
    throw new Error(
      'nothing to report on: set DATABASE_URL (analytics kept in PostgreSQL) or pass --events <file> from `parley simulate --out`',
    );
  }
  return openPostgresAnalytics({
    databaseUrl: config.database.url,
    retentionMs: config.retention.analytics,
    questionRetentionMs: config.analytics.questionRetentionMs,
    sweepIntervalMs: 0,
  });
}

/** `parley report`: the figures of a period as a self-contained HTML page, or as JSON on stdout. */
export async function reportCommand(
  config: ParleyConfig,
  options: ReportOptions,
  io: CliOutput,
): Promise<void> {
  const range = periodOf(options);
  if (!options.out && !options.json)
    throw new Error('say where the report goes: --out report.html, or --json');
  const store = await openSource(config, options.events);
  try {
    const bot = loadBotDefinition(options.bot);
    io.err(`Training the "${bot.name}" NLU to group unanswered questions by meaning…\n`);
    const nlu = await trainBotNlu(join(bot.directory, 'nlu'));
    const figures = await buildReport(store, range, (text, locale) => nlu.meaningVector(text, locale));
    if (options.json) io.out(`${JSON.stringify(figures, null, 2)}\n`);
    if (options.out) {
      // The UMD build sits next to the package's main file (its `exports` do not list it).
      const chartLibrary = await readFile(
        join(dirname(require.resolve('chart.js')), 'chart.umd.min.js'),
        'utf8',
      );
      const { unansweredQuestions: clusters, ...report } = figures;
      const title = `${bot.companyName ?? bot.name} support: analytics`;
      await writeFile(
        options.out,
        renderReportHtml({ title, report, clusters, chartLibrary, generatedAt: Date.now() }),
      );
      io.err(`Wrote ${options.out}\n`);
    }
  } finally {
    await store.close();
  }
}

export interface SimulateOptions {
  date: string;
  seed: string;
  customers: string;
  out?: string;
  bot: string;
}

/**
 * `parley simulate`: a seeded day of demo traffic through the bot's real runtime (NLU, flows, handoff,
 * case service) on a simulated clock, entirely in memory: demo cases must never reach a live desk or its
 * database. `--out` writes the events to a file `parley report --events` reads.
 */
export async function simulateCommand(
  config: ParleyConfig,
  options: SimulateOptions,
  io: CliOutput,
): Promise<void> {
  const day = parseDate(options.date, '--date');
  const seed = Number.parseInt(options.seed, 10);
  const customers = Number.parseInt(options.customers, 10);
  if (!Number.isInteger(seed) || !(customers > 0))
    throw new Error('--seed and --customers must be whole numbers');
  let now = day;
  const clock = { now: () => now };
  let id = 0;
  const ids = { next: () => `sim-${seed}-case-${++id}` };
  const bot = loadBotDefinition(options.bot);
  io.err(`Training the "${bot.name}" NLU…\n`);
  // Memory whatever the environment says: the simulation must not touch live conversations, cases or records.
  const { database: _database, hub: _hub, ...local } = config;
  const runtime = await buildRuntime(
    bot,
    { ...local, store: { kind: 'memory' } },
    { logger: silentLogger, clock, ids },
  );
  try {
    const { analytics } = runtime;
    if (!analytics) throw new Error('the runtime records no analytics');
    const cases = createCaseService({
      stores: runtime.stores,
      delivery: runtime,
      clock,
      logger: silentLogger,
      analytics: analytics.recorder,
    });
    // The simulated customers said yes to analytics: without it their events would be anonymised and the
    // texts of their unanswered questions dropped (analytics/consent.ts), and the report would show less.
    const consenting = new Set<string>();
    const handle = async (m: Message) => {
      const customerId = `${m.channel}:${m.channelUserId}`;
      if (!consenting.has(customerId)) {
        consenting.add(customerId);
        await runtime.stores.consent.record({
          customerId,
          purpose: 'analytics',
          granted: true,
          at: now,
          channel: m.channel,
          wordingVersion: 'simulation.v1',
          source: 'simulation',
        });
      }
      return runtime.handle(m);
    };
    const made = await simulateDay(
      {
        handle,
        cases,
        caseStore: runtime.stores.cases,
        setTime: (at) => (now = at),
      },
      { day, seed, customers },
    );
    io.err(`Simulated ${made.conversations} visits and ${made.cases} cases on ${options.date}.\n`);
    if (options.out) {
      const dump: AnalyticsDump = {
        events: await analytics.store.read(EVERYTHING),
        questions: await analytics.store.readQuestions(EVERYTHING),
      };
      await writeFile(options.out, `${JSON.stringify(dump)}\n`);
      io.err(
        `Wrote ${dump.events.length} events and ${dump.questions.length} unanswered questions to ${options.out}\n`,
      );
    }
  } finally {
    await runtime.close();
  }
}
