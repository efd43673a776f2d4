// Medians over rounds, ratios to the peers, and the plain-text table of `npm run bench`.

/** One measured phase of one target. */
export interface Phase {
  target: string;
  round: number;
  turns: number;
  errors: number;
  errorKinds: Record<string, number>;
  firstWrong?: string;
  turnsPerSecond: number;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
  cpuMsPerTurn: number;
  rssMb: number;
  /** Every command Redis ran (INFO commandstats delta, those inside Lua scripts included), per turn. */
  redisCommandsPerTurn?: number;
  /** EVAL/EVALSHA calls per turn (commandstats). */
  redisScriptsPerTurn?: number;
  /** Socket writes to Redis from the server process per turn, under load. */
  redisWritesPerTurn?: number;
  /** Round trips per turn of one conversation run alone after the phase (exact with one turn at a time). */
  redisRoundTripsPerTurn?: number;
}

export interface HalfPeak {
  target: string;
  ratePerSecond: number;
  turnsPerSecond: number;
  p99Ms: number;
  errors: number;
  /** Parley's server over this phase: what held its event loop up (see `ServerUsage`). */
  server?: { loopDelayP99Ms: number; loopDelayMaxMs: number; gcPauseMaxMs: number; gcPauseTotalMs: number };
}

export interface TargetSummary {
  target: string;
  rounds: number;
  turnsPerSecond: number;
  cpuMsPerTurn: number;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
  errors: number;
  rssMb: number;
  redisCommandsPerTurn?: number;
  redisScriptsPerTurn?: number;
  redisWritesPerTurn?: number;
  redisRoundTripsPerTurn?: number;
  halfPeak?: HalfPeak;
  /** This target's figure divided by the peer's, both medians of the same run. */
  vsRestify: { turnsPerSecond: number; cpuMsPerTurn: number };
  vsBotFramework?: { turnsPerSecond: number; cpuMsPerTurn: number };
}

export function median(values: number[]): number {
  const sorted = values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  if (sorted.length === 0) return NaN;
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

type Numeric =
  | 'turnsPerSecond'
  | 'cpuMsPerTurn'
  | 'p50Ms'
  | 'p95Ms'
  | 'p99Ms'
  | 'rssMb'
  | 'redisCommandsPerTurn'
  | 'redisScriptsPerTurn'
  | 'redisWritesPerTurn'
  | 'redisRoundTripsPerTurn';

function medianOf(phases: Phase[], key: Numeric): number | undefined {
  const values = phases.map((p) => p[key]).filter((v): v is number => typeof v === 'number');
  return values.length ? median(values) : undefined;
}

const ratio = (a: number, b: number | undefined) => (b ? a / b : NaN);

export function summarise(
  phases: Phase[],
  halfPeaks: HalfPeak[],
  peers: { restify: string; botFramework?: string },
): TargetSummary[] {
  const names = [...new Set(phases.map((p) => p.target))];
  const base = names.map((target) => {
    const mine = phases.filter((p) => p.target === target);
    const optional = (key: Numeric) => {
      const value = medianOf(mine, key);
      return value === undefined ? {} : { [key]: value };
    };
    const halfPeak = halfPeaks.find((h) => h.target === target);
    return {
      target,
      rounds: mine.length,
      turnsPerSecond: medianOf(mine, 'turnsPerSecond') ?? NaN,
      cpuMsPerTurn: medianOf(mine, 'cpuMsPerTurn') ?? NaN,
      p50Ms: medianOf(mine, 'p50Ms') ?? NaN,
      p95Ms: medianOf(mine, 'p95Ms') ?? NaN,
      p99Ms: medianOf(mine, 'p99Ms') ?? NaN,
      errors: mine.reduce((sum, p) => sum + p.errors, 0),
      rssMb: medianOf(mine, 'rssMb') ?? NaN,
      ...optional('redisCommandsPerTurn'),
      ...optional('redisScriptsPerTurn'),
      ...optional('redisWritesPerTurn'),
      ...optional('redisRoundTripsPerTurn'),
      ...(halfPeak ? { halfPeak } : {}),
    };
  });
  const restify = base.find((s) => s.target === peers.restify);
  const bf = base.find((s) => s.target === peers.botFramework);
  const versus = (s: (typeof base)[number], peer: (typeof base)[number] | undefined) => ({
    turnsPerSecond: ratio(s.turnsPerSecond, peer?.turnsPerSecond),
    cpuMsPerTurn: ratio(s.cpuMsPerTurn, peer?.cpuMsPerTurn),
  });
  return base.map((s) => ({
    ...s,
    vsRestify: versus(s, restify),
    ...(bf ? { vsBotFramework: versus(s, bf) } : {}),
  }));
}

function fixed(value: number | undefined, digits: number): string {
  return value === undefined || !Number.isFinite(value) ? '–' : value.toFixed(digits);
}

const HEADER = [
  'target',
  'turns/s',
  'CPU ms/turn',
  'p50 ms',
  'p95 ms',
  'p99 ms',
  'p99 @½ peak',
  'errors',
  'RSS MB',
  'Redis cmds/turn',
  'scripts/turn',
  'writes/turn',
  'round trips/turn',
  'turns/s ×restify',
  'turns/s ×BF',
  'CPU ×restify',
  'CPU ×BF',
];

function cells(summaries: TargetSummary[]): string[][] {
  return summaries.map((s) => [
    s.target,
    fixed(s.turnsPerSecond, 0),
    fixed(s.cpuMsPerTurn, 3),
    fixed(s.p50Ms, 2),
    fixed(s.p95Ms, 2),
    fixed(s.p99Ms, 2),
    fixed(s.halfPeak?.p99Ms, 2),
    String(s.errors),
    fixed(s.rssMb, 0),
    fixed(s.redisCommandsPerTurn, 1),
    fixed(s.redisScriptsPerTurn, 1),
    fixed(s.redisWritesPerTurn, 1),
    fixed(s.redisRoundTripsPerTurn, 2),
    fixed(s.vsRestify.turnsPerSecond, 3),
    fixed(s.vsBotFramework?.turnsPerSecond, 2),
    fixed(s.vsRestify.cpuMsPerTurn, 1),
    fixed(s.vsBotFramework?.cpuMsPerTurn, 2),
  ]);
}

/** The plain-text table: one row per target, medians over rounds. */
export function table(summaries: TargetSummary[]): string {
  const [header, rows] = [HEADER, cells(summaries)];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padStart(widths[i]!)).join('  ');
  return [line(header), ...rows.map(line)].join('\n');
}

/** The same table in Markdown, for the README's Performance section. */
export function markdownTable(summaries: TargetSummary[]): string {
  const line = (row: string[]) => `| ${row.join(' | ')} |`;
  return [line(HEADER), line(HEADER.map(() => '---')), ...cells(summaries).map(line)].join('\n');
}
