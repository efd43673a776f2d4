// npm run bench:workers [-- --customers 50 --seconds 10 --rounds 2]
// Turns/s of `parley start --workers 1` and `--workers 2` on one Redis, measured in the same run by the
// shared peers' driver (../shared/peers/driver/driver.js; bench/driver.ts when it is missing), interleaved
// so a noisy machine hits both alike. Reports the ratio 2 processes : 1 process.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { startRedisServer } from '../test/support/redis-server';
import { startParleyProcess, type StartedParley } from '../test/support/parley-start';
import { drive } from './driver';
import { SCRIPT } from './turns-checks';

// Next to the repository (`../shared`), or next to the folder of worktrees (`../../shared`).
const PEER_DRIVER = [join(__dirname, '..', '..'), join(__dirname, '..', '..', '..')]
  .map((dir) => join(dir, 'shared', 'peers', 'driver', 'driver.js'))
  .find((path) => existsSync(path));

const { values } = parseArgs({
  options: {
    customers: { type: 'string', default: '50' },
    seconds: { type: 'string', default: '10' },
    rounds: { type: 'string', default: '2' },
  },
});

interface Figure {
  name: string;
  turnsPerSec: number;
  p99Ms: number;
  errors: number;
  /** Median over rounds of this target's turns over the first target's in the same round. */
  ratioToFirst?: number | null;
}

/** Runs the shared driver over both targets, interleaved; its JSON report gives medians over rounds. */
function peerDriver(driver: string, targets: Record<string, string>): Promise<Figure[]> {
  const out = join(mkdtempSync(join(tmpdir(), 'parley-bench-')), 'report.json');
  const args = [driver, '--customers', values.customers, '--duration', values.seconds, '--warmup', '3'];
  args.push('--rounds', values.rounds, '--out', out);
  for (const [name, url] of Object.entries(targets)) args.push('--target', `${name}=${url}`);
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'inherit', 'inherit'] });
    child.once('exit', (code) => {
      if (code !== 0) return reject(new Error(`driver exited with ${code}`));
      const report = JSON.parse(readFileSync(out, 'utf8')) as {
        targets: {
          name: string;
          turnsPerSec: number;
          errors: number;
          latencyMs: { p99: number };
          ratioToFirst: number | null;
        }[];
      };
      resolve(
        report.targets.map((r) => ({
          name: r.name,
          turnsPerSec: r.turnsPerSec,
          p99Ms: r.latencyMs.p99,
          errors: r.errors,
        })),
      );
    });
  });
}

/** The fallback: bench/driver.ts against each target in turn, one round. */
async function ownDriver(targets: Record<string, string>): Promise<Figure[]> {
  const figures: Figure[] = [];
  for (const [name, url] of Object.entries(targets)) {
    const result = await drive({
      url: `${url}/webhooks/rest/webhook`,
      customers: Number(values.customers),
      durationMs: Number(values.seconds) * 1000,
      script: SCRIPT,
      runId: name,
    });
    figures.push({ name, turnsPerSec: result.turnsPerSecond, p99Ms: result.p99Ms, errors: result.errors });
  }
  return figures;
}

async function main(): Promise<void> {
  const redis = await startRedisServer();
  const started: StartedParley[] = [];
  try {
    const env = { REDIS_URL: redis.url, LOG_LEVEL: 'silent' };
    process.stderr.write('starting 1-worker and 2-worker servers on one Redis…\n');
    const one = await startParleyProcess(1, env, 120_000);
    started.push(one);
    const two = await startParleyProcess(2, env, 120_000);
    started.push(two);
    const targets = { 'workers-1': one.url, 'workers-2': two.url };
    const figures = PEER_DRIVER ? await peerDriver(PEER_DRIVER, targets) : await ownDriver(targets);
    const [base, pair] = figures;
    console.log('\nprocesses  turns/s   p99 ms  errors');
    for (const f of figures) {
      console.log(
        `${f.name.padEnd(10)} ${f.turnsPerSec.toFixed(0).padStart(7)} ${f.p99Ms.toFixed(1).padStart(8)} ${String(f.errors).padStart(7)}`,
      );
    }
    if (base && pair) {
      const sameRound = pair.ratioToFirst
        ? `; median of per-round ratios ${pair.ratioToFirst.toFixed(2)}x`
        : '';
      console.log(
        `ratio 2:1 = ${(pair.turnsPerSec / base.turnsPerSec).toFixed(2)}x (of median turns/s${sameRound})`,
      );
    }
  } finally {
    for (const server of started) await server.stop();
    await redis.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
