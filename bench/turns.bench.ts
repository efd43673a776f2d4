// npm run bench [-- --customers 50 --seconds 10 --rounds 3 --json | --markdown] [--out results.json]
// Drives concurrent customers through multi-turn conversations over the REST channel against four targets,
// each in its own process: the bare restify peer and the Bot Framework SDK peer (../shared/peers, installed
// into a scratch folder outside the repository if missing), Parley on its memory store and Parley on Redis
// (a redis-server started here). Phases interleave the targets round after round (A B C D A B C D …) and
// the figures are medians over rounds, stated as ratios to the peers measured in the same run, because a
// single phase on a shared machine swings by 3×. A turn counts only when its reply is the right one.
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { Redis } from 'ioredis';
import { startRedisServer } from '../test/support/redis-server';
import { drive } from './driver';
import { CHECKS, SCRIPT, type TargetKind } from './turns-checks';
import { ensurePeersInstalled, findPeers, startParleyTarget, startPeer, type Target } from './targets';
import { markdownTable, summarise, table, type HalfPeak, type Phase } from './turns-report';

const { values } = parseArgs({
  options: {
    customers: { type: 'string', default: '50' },
    seconds: { type: 'string', default: '10' },
    warmup: { type: 'string', default: '2' },
    rounds: { type: 'string', default: '3' },
    'half-peak-seconds': { type: 'string', default: '8' },
    only: { type: 'string' },
    peers: { type: 'string' },
    json: { type: 'boolean', default: false },
    out: { type: 'string' },
    markdown: { type: 'boolean', default: false },
  },
});
const customers = positive(values.customers, 'customers');
const durationMs = positive(values.seconds, 'seconds') * 1000;
const warmupMs = Number(values.warmup) * 1000;
const rounds = positive(values.rounds, 'rounds');
const halfPeakMs = Number(values['half-peak-seconds']) * 1000;

function positive(value: string | undefined, name: string): number {
  const n = Number(value);
  if (!(n > 0)) throw new Error(`--${name} must be a positive number, got ${value}`);
  return n;
}

interface Measured {
  target: Target;
  kind: TargetKind;
  redis?: Redis;
}

const log = (line: string) => process.stderr.write(`${line}\n`);

/** Every command Redis ran so far, and the scripts among them, from INFO commandstats. */
async function redisCommands(redis: Redis): Promise<{ all: number; scripts: number }> {
  const info = await redis.info('commandstats');
  let all = 0;
  let scripts = 0;
  for (const match of info.matchAll(/^cmdstat_([^:]+):calls=(\d+)/gm)) {
    const [name, calls] = [match[1]!, Number(match[2])];
    if (name === 'info') continue; // the bench's own
    all += calls;
    if (name === 'eval' || name === 'evalsha') scripts += calls;
  }
  return { all, scripts };
}

async function measurePhase(m: Measured, round: number): Promise<Phase> {
  const { target, kind } = m;
  const runId = `${target.name}-r${round}`;
  if (warmupMs > 0)
    await drive({ url: target.url, customers, durationMs: warmupMs, script: SCRIPT, runId: `${runId}-warm` });
  const [before, commandsBefore] = [await target.usage(), m.redis && (await redisCommands(m.redis))];
  const result = await drive({
    url: target.url,
    customers,
    durationMs,
    script: SCRIPT,
    runId,
    check: CHECKS[kind],
  });
  const after = await target.usage();
  const commandsAfter = m.redis && (await redisCommands(m.redis));
  const perTurn = (delta: number) => delta / Math.max(1, result.turns);
  const phase: Phase = {
    target: target.name,
    round,
    ...result,
    cpuMsPerTurn: perTurn(after.cpuMs - before.cpuMs),
    rssMb: after.rssMb,
  };
  if (commandsBefore && commandsAfter) {
    phase.redisCommandsPerTurn = perTurn(commandsAfter.all - commandsBefore.all);
    phase.redisScriptsPerTurn = perTurn(commandsAfter.scripts - commandsBefore.scripts);
    phase.redisWritesPerTurn = perTurn((after.redisWrites ?? 0) - (before.redisWrites ?? 0));
    phase.redisRoundTripsPerTurn = await roundTripsAlone(m, runId);
  }
  return phase;
}

/** One conversation on its own, turn after turn: the server's Redis writes that waited on a reply. */
async function roundTripsAlone(m: Measured, runId: string): Promise<number> {
  const before = await m.target.usage();
  const alone = await drive({
    url: m.target.url,
    customers: 1,
    durationMs: 60_000,
    script: SCRIPT,
    runId: `${runId}-alone`,
    check: CHECKS[m.kind],
    stopAfterTurns: SCRIPT.length,
  });
  const after = await m.target.usage();
  return ((after.redisRoundTrips ?? 0) - (before.redisRoundTrips ?? 0)) / Math.max(1, alone.turns);
}

async function measureHalfPeak(m: Measured, peak: number): Promise<HalfPeak> {
  const ratePerSecond = peak / 2;
  await m.target.usage();
  const result = await drive({
    url: m.target.url,
    customers,
    durationMs: halfPeakMs,
    script: SCRIPT,
    runId: `${m.target.name}-half`,
    check: CHECKS[m.kind],
    ratePerSecond,
  });
  const { turnsPerSecond, p99Ms, errors } = result;
  const { pauses } = await m.target.usage();
  return {
    target: m.target.name,
    ratePerSecond,
    turnsPerSecond,
    p99Ms,
    errors,
    ...(pauses ? { server: pauses } : {}),
  };
}

async function startTargets(redisUrl: string): Promise<Measured[]> {
  const wanted = values.only?.split(',');
  const want = (name: string) => !wanted || wanted.includes(name);
  const peers = findPeers(values.peers);
  const modules = ensurePeersInstalled(peers);
  const started: Measured[] = [];
  if (want('restify'))
    started.push({ kind: 'restify', target: await startPeer('restify', peers, modules, 'hello-restify') });
  if (want('botframework'))
    started.push({
      kind: 'botframework',
      target: await startPeer('botframework', peers, modules, 'botbuilder-bot'),
    });
  if (want('memory'))
    started.push({
      kind: 'parley',
      target: await startParleyTarget('parley-memory', { REDIS_URL: undefined }),
    });
  if (want('redis'))
    started.push({
      kind: 'parley',
      target: await startParleyTarget('parley-redis', { REDIS_URL: redisUrl }),
      redis: new Redis(redisUrl),
    });
  return started;
}

async function main(): Promise<void> {
  const redis = await startRedisServer();
  const targets: Measured[] = [];
  try {
    targets.push(...(await startTargets(redis.url)));
    const phases: Phase[] = [];
    for (let round = 1; round <= rounds; round++) {
      for (const m of targets) {
        const phase = await measurePhase(m, round);
        log(
          `round ${round} ${m.target.name}: ${phase.turnsPerSecond.toFixed(0)} turns/s, ` +
            `${phase.cpuMsPerTurn.toFixed(3)} CPU ms/turn, p99 ${phase.p99Ms.toFixed(1)} ms, ${phase.errors} errors` +
            (phase.firstWrong ? ` (${phase.firstWrong})` : ''),
        );
        phases.push(phase);
      }
    }
    const peaks = summarise(phases, [], { restify: 'restify' });
    const halfPeaks: HalfPeak[] = [];
    if (halfPeakMs > 0) {
      for (const m of targets) {
        const peak = peaks.find((s) => s.target === m.target.name)?.turnsPerSecond ?? 0;
        const half = await measureHalfPeak(m, peak);
        log(
          `half peak ${m.target.name}: ${half.ratePerSecond.toFixed(0)}/s asked, p99 ${half.p99Ms.toFixed(1)} ms` +
            (half.server
              ? `; server loop delay p99 ${half.server.loopDelayP99Ms.toFixed(1)} ms, max ` +
                `${half.server.loopDelayMaxMs.toFixed(1)} ms; GC pauses max ${half.server.gcPauseMaxMs.toFixed(1)} ms, ` +
                `total ${half.server.gcPauseTotalMs.toFixed(0)} ms`
              : ''),
        );
        halfPeaks.push(half);
      }
    }
    const summaries = summarise(phases, halfPeaks, { restify: 'restify', botFramework: 'botframework' });
    const settings = { customers, seconds: durationMs / 1000, rounds, script: SCRIPT };
    const json = `${JSON.stringify({ settings, summaries, phases }, null, 2)}\n`;
    if (values.out) writeFileSync(values.out, json);
    if (values.json) {
      process.stdout.write(json);
    } else {
      process.stdout.write(
        `\n${customers} concurrent customers, ${SCRIPT.length}-turn conversations, ${durationMs / 1000} s per ` +
          `phase, medians of ${rounds} interleaved rounds; ratios are to the peers in this run\n\n` +
          `${values.markdown ? markdownTable(summaries) : table(summaries)}\n`,
      );
    }
  } finally {
    for (const m of targets) {
      m.redis?.disconnect();
      await m.target.stop();
    }
    await redis.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
