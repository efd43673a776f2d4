// npm run bench [-- --customers 50 --seconds 10]
// Drives concurrent customers through multi-turn conversations over the REST channel, for the memory
// store and for Redis, next to a bare restify endpoint measured in the same run. Figures are ratios
// against that peer because shared machines are noisy.
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { startRedisServer } from '../test/support/redis-server';
import { drive, type DriveResult } from './driver';

const SCRIPT = [
  'hi',
  'where is my order A1001',
  'thanks',
  'what time do you open on saturday',
  'I need an engineer visit',
  'tomorrow morning',
  'yes please',
  'bye',
] as const;

const { values } = parseArgs({
  options: { customers: { type: 'string', default: '50' }, seconds: { type: 'string', default: '10' } },
});
const customers = Number(values.customers);
const durationMs = Number(values.seconds) * 1000;

/** Starts a server entry in its own process (so it does not share the driver's event loop). */
async function startServer(
  entry: string,
  env: NodeJS.ProcessEnv,
): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(process.execPath, ['--import', 'tsx', entry], {
    env: { ...process.env, ...env, LOG_LEVEL: 'silent', DOTENV_CONFIG_QUIET: 'true' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: child.stdout! });
  for await (const line of lines) {
    const parsed = JSON.parse(line) as { url?: string };
    if (parsed.url) return { url: parsed.url, child };
  }
  throw new Error(`${entry} exited before printing its url`);
}

async function measure(
  label: string,
  entry: string,
  env: NodeJS.ProcessEnv,
): Promise<DriveResult & { label: string }> {
  const { url, child } = await startServer(entry, env);
  try {
    // A short warm-up so JIT and connection set-up do not count.
    await drive({
      url,
      customers,
      durationMs: Math.min(2000, durationMs / 4),
      script: SCRIPT,
      runId: `${label}-warm`,
    });
    return { label, ...(await drive({ url, customers, durationMs, script: SCRIPT, runId: label })) };
  } finally {
    child.kill();
  }
}

async function main(): Promise<void> {
  const redis = await startRedisServer();
  try {
    const results = [
      await measure('restify hello (peer)', 'bench/servers/hello.server.ts', {}),
      await measure('parley, memory store', 'bench/servers/bot.server.ts', {}),
      await measure('parley, redis store', 'bench/servers/bot.server.ts', { REDIS_URL: redis.url }),
    ];
    const peer = results[0]!;
    console.log(
      `\n${customers} concurrent customers, ${durationMs / 1000}s per phase, ${SCRIPT.length}-turn conversations\n`,
    );
    console.log(
      '| run | turns | errors | turns/s | p50 ms | p95 ms | p99 ms | turns/s vs peer | p99 vs peer |',
    );
    console.log('|---|---|---|---|---|---|---|---|---|');
    for (const r of results) {
      console.log(
        `| ${r.label} | ${r.turns} | ${r.errors} | ${r.turnsPerSecond.toFixed(0)} | ${r.p50Ms.toFixed(2)} | ${r.p95Ms.toFixed(2)} | ${r.p99Ms.toFixed(2)} | ${(r.turnsPerSecond / peer.turnsPerSecond).toFixed(3)} | ${(r.p99Ms / peer.p99Ms).toFixed(1)}x |`,
      );
    }
  } finally {
    await redis.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
