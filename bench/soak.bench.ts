// npm run bench:soak [-- --minutes 30 --rate 200 --store memory|redis --retention-minutes 5 --json]
// Not in CI. Two parts, each on a fresh Parley bench server:
// 1. RSS and heap per 10,000 active conversations: garbage collected before and after `--conversations`
//    whole conversations are driven in (default retention, so none expires meanwhile).
// 2. The soak: the turn script at a steady rate for `--minutes`, RSS and heap sampled every few seconds
//    (each sample after a full collection),
//    with conversations expiring after `--retention-minutes` so the store can reach a steady state; the
//    slope of RSS and heap over the second half says whether memory is flat.
import { parseArgs } from 'node:util';
import { startRedisServer, type RedisServer } from '../test/support/redis-server';
import { drive } from './driver';
import { startParleyTarget, type Target, type Usage } from './targets';
import { CHECKS, SCRIPT } from './turns-checks';

const { values } = parseArgs({
  options: {
    minutes: { type: 'string', default: '30' },
    rate: { type: 'string', default: '200' },
    customers: { type: 'string', default: '20' },
    store: { type: 'string', default: 'memory' },
    'retention-minutes': { type: 'string', default: '5' },
    conversations: { type: 'string', default: '10000' },
    'sample-seconds': { type: 'string', default: '10' },
    json: { type: 'boolean', default: false },
  },
});
const minutes = Number(values.minutes);
const rate = Number(values.rate);
const customers = Number(values.customers);
const conversations = Number(values.conversations);
if (!(minutes > 0) || !(rate > 0) || !(customers > 0) || !(conversations >= 0))
  throw new Error('--minutes, --rate and --customers must be positive, --conversations at least 0');
if (values.store !== 'memory' && values.store !== 'redis')
  throw new Error(`--store must be memory or redis, got ${values.store}`);

interface Sample {
  minute: number;
  rssMb: number;
  heapUsedMb: number;
}

const log = (line: string) => process.stderr.write(`${line}\n`);

/** Least-squares slope of `y` over `minute`, per minute. */
export function slope(samples: Sample[], y: (s: Sample) => number): number {
  const n = samples.length;
  if (n < 2) return NaN;
  const mx = samples.reduce((a, s) => a + s.minute, 0) / n;
  const my = samples.reduce((a, s) => a + y(s), 0) / n;
  const num = samples.reduce((a, s) => a + (s.minute - mx) * (y(s) - my), 0);
  const den = samples.reduce((a, s) => a + (s.minute - mx) ** 2, 0);
  return den ? num / den : NaN;
}

function startServer(redis: RedisServer | undefined, retentionDays?: number): Promise<Target> {
  return startParleyTarget(
    `parley-${values.store}`,
    {
      REDIS_URL: redis?.url,
      ...(retentionDays !== undefined ? { PARLEY_RETENTION_DAYS: String(retentionDays) } : {}),
    },
    ['--expose-gc'],
  );
}

async function perTenThousand(redis: RedisServer | undefined) {
  const target = await startServer(redis);
  try {
    await drive({ url: target.url, customers, durationMs: 3000, script: SCRIPT, runId: 'warm' });
    const before = await target.usage({ gc: true });
    const result = await drive({
      url: target.url,
      customers: 50,
      durationMs: 30 * 60_000,
      script: SCRIPT,
      runId: 'active',
      check: CHECKS.parley,
      stopAfterTurns: conversations * SCRIPT.length,
    });
    const after = await target.usage({ gc: true });
    const held = result.turns / SCRIPT.length;
    const per = (a: number | undefined, b: number | undefined) => (((a ?? 0) - (b ?? 0)) * 10_000) / held;
    return {
      conversations: held,
      errors: result.errors,
      rssMbPer10k: per(after.rssMb, before.rssMb),
      heapMbPer10k: per(after.heapUsedMb, before.heapUsedMb),
    };
  } finally {
    await target.stop();
  }
}

async function soak(redis: RedisServer | undefined) {
  const retentionDays = Number(values['retention-minutes']) / 1440;
  const target = await startServer(redis, retentionDays);
  const samples: Sample[] = [];
  const started = performance.now();
  const take = (u: Usage) =>
    samples.push({
      minute: (performance.now() - started) / 60_000,
      rssMb: u.rssMb,
      heapUsedMb: u.heapUsedMb ?? NaN,
    });
  const timer = setInterval(
    // Collected first: heap and RSS then follow live data, not where the last GC happened to be.
    () => void target.usage({ gc: true }).then(take, () => undefined),
    Number(values['sample-seconds']) * 1000,
  );
  try {
    take(await target.usage({ gc: true }));
    const result = await drive({
      url: target.url,
      customers,
      durationMs: minutes * 60_000,
      script: SCRIPT,
      runId: 'soak',
      check: CHECKS.parley,
      ratePerSecond: rate,
    });
    clearInterval(timer);
    take(await target.usage({ gc: true }));
    const second = samples.filter((s) => s.minute >= minutes / 2);
    return {
      turns: result.turns,
      turnsPerSecond: result.turnsPerSecond,
      errors: result.errors,
      errorKinds: result.errorKinds,
      firstWrong: result.firstWrong,
      p99Ms: result.p99Ms,
      rssMbStart: samples[0]!.rssMb,
      rssMbEnd: samples[samples.length - 1]!.rssMb,
      rssMbPerMinuteSecondHalf: slope(second, (s) => s.rssMb),
      heapMbPerMinuteSecondHalf: slope(second, (s) => s.heapUsedMb),
      samples,
    };
  } finally {
    clearInterval(timer);
    await target.stop();
  }
}

async function main(): Promise<void> {
  const redis = values.store === 'redis' ? await startRedisServer() : undefined;
  try {
    const active = conversations > 0 ? await perTenThousand(redis) : undefined;
    if (active) log(`per 10,000 active conversations: ${active.rssMbPer10k.toFixed(1)} MB RSS`);
    const run = await soak(redis);
    if (run.firstWrong) log(`first wrong reply: ${run.firstWrong}`);
    const settings = { ...values, script: SCRIPT };
    if (values.json) {
      process.stdout.write(`${JSON.stringify({ settings, active, soak: run }, null, 2)}\n`);
      return;
    }
    const lines = [
      `store ${values.store}, ${minutes} min at ${rate} turns/s asked (${run.turnsPerSecond.toFixed(0)} done), ` +
        `retention ${values['retention-minutes']} min, ${run.errors} errors ${JSON.stringify(run.errorKinds)}, p99 ${run.p99Ms.toFixed(1)} ms`,
      `RSS ${run.rssMbStart.toFixed(0)} → ${run.rssMbEnd.toFixed(0)} MB; slope over the second half: ` +
        `RSS ${run.rssMbPerMinuteSecondHalf.toFixed(2)} MB/min, heap ${run.heapMbPerMinuteSecondHalf.toFixed(2)} MB/min`,
    ];
    if (active)
      lines.push(
        `per 10,000 active conversations (${active.conversations.toFixed(0)} held): ` +
          `RSS ${active.rssMbPer10k.toFixed(1)} MB, heap ${active.heapMbPer10k.toFixed(1)} MB`,
      );
    process.stdout.write(`${lines.join('\n')}\n`);
  } finally {
    await redis?.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
