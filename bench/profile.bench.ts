// npm run bench:profile [-- --store memory|redis --seconds 15 --customers 50 --out DIR]
// Starts Parley's bench server, warms it up, profiles it (V8's sampling profiler through the inspector)
// while the turn script is driven at it, writes the .cpuprofile, and prints self time by folder/package
// and the hottest functions. Open the
// .cpuprofile in Chrome DevTools (Performance) or speedscope for the call tree.
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { startRedisServer, type RedisServer } from '../test/support/redis-server';
import { formatSelfTimes, selfTimes, type CpuProfile } from './cpuprofile-summary';
import { drive } from './driver';
import { CHECKS, SCRIPT } from './turns-checks';

const ROOT = resolve(__dirname, '..');
const { values } = parseArgs({
  options: {
    store: { type: 'string', default: 'memory' },
    seconds: { type: 'string', default: '15' },
    customers: { type: 'string', default: '50' },
    out: { type: 'string', default: join(ROOT, 'bench', 'profiles') },
  },
});
if (values.store !== 'memory' && values.store !== 'redis')
  throw new Error(`--store must be memory or redis, got ${values.store}`);

async function profileOnce(out: string, redis: RedisServer | undefined): Promise<string> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'bench/servers/bot.server.ts')], {
    cwd: ROOT,
    env: { ...process.env, LOG_LEVEL: 'silent', REDIS_URL: redis?.url },
    stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
  });
  const ask = (message: object) =>
    new Promise<void>((done) => {
      child.once('message', () => done());
      child.send(message);
    });
  let url: string | undefined;
  for await (const line of createInterface({ input: child.stdout! })) {
    url = (JSON.parse(line) as { url?: string }).url;
    if (url) break;
  }
  if (!url) throw new Error('the bench server exited before printing its url');
  const common = { url, customers: Number(values.customers), script: SCRIPT, check: CHECKS.parley };
  await drive({ ...common, durationMs: 3000, runId: 'profile-warm' });
  await ask({ type: 'profile-start' });
  const result = await drive({ ...common, durationMs: Number(values.seconds) * 1000, runId: 'profile' });
  process.stderr.write(
    `${result.turns} turns (${result.turnsPerSecond.toFixed(0)}/s), ${result.errors} errors\n`,
  );
  const file = join(
    out,
    `parley-${values.store}-${new Date().toISOString().replace(/[:.]/g, '-')}.cpuprofile`,
  );
  await ask({ type: 'profile-stop', file });
  await new Promise<void>((done) => {
    child.once('exit', () => done());
    child.kill('SIGTERM');
  });
  return file;
}

async function main(): Promise<void> {
  const out = resolve(values.out);
  mkdirSync(out, { recursive: true });
  const redis = values.store === 'redis' ? await startRedisServer() : undefined;
  try {
    const file = await profileOnce(out, redis);
    const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
    const { groups, functions } = selfTimes(profile, ROOT);
    const summary = [
      `profile: ${file} (store: ${values.store}; load only, after a 3 s warm-up)`,
      '',
      formatSelfTimes('self time by folder / package', groups, 25),
      '',
      formatSelfTimes('hottest functions (self time)', functions, 25),
    ].join('\n');
    writeFileSync(file.replace(/\.cpuprofile$/, '.summary.txt'), `${summary}\n`);
    process.stdout.write(`${summary}\n`);
  } finally {
    await redis?.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
