// The demo bot as a benchmark target: quiet, on a free port, printing its URL as one JSON line. Run with an
// IPC channel, it answers `usage` with its own CPU time, memory and the Redis traffic it sent.
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { monitorEventLoopDelay, PerformanceObserver } from 'node:perf_hooks';
import { loadBotDefinition, startParley } from '../../app/bootstrap';
import { loadConfig } from '../../app/config';
import { createLogger } from '../../app/logger';
import { redactText } from '../../transcripts/redact';
import { countRedisTraffic, type RedisTrafficCounter } from '../../test/support/redis-traffic';

/** What the bench asks this process for between phases. */
export interface ServerUsage {
  cpuUserUs: number;
  cpuSystemUs: number;
  rssBytes: number;
  heapUsedBytes: number;
  redisWrites: number;
  redisRoundTrips: number;
  /** Since the previous reading: how late the event loop ran (p99, max) and the longest GC pause, in ms. */
  loopDelayP99Ms: number;
  loopDelayMaxMs: number;
  gcPauseMaxMs: number;
  gcPauseTotalMs: number;
}

// What makes a tail: the event loop held up (long synchronous work, GC pauses). Reset at each reading, so
// the reading after a phase covers that phase alone.
const loopDelay = monitorEventLoopDelay({ resolution: 1 });
loopDelay.enable();
const gcPauses = { maxMs: 0, totalMs: 0 };
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) {
    gcPauses.maxMs = Math.max(gcPauses.maxMs, entry.duration);
    gcPauses.totalMs += entry.duration;
  }
}).observe({ entryTypes: ['gc'] });

function pausesSinceLastReading(): Pick<
  ServerUsage,
  'loopDelayP99Ms' | 'loopDelayMaxMs' | 'gcPauseMaxMs' | 'gcPauseTotalMs'
> {
  const reading = {
    loopDelayP99Ms: loopDelay.percentile(99) / 1e6,
    loopDelayMaxMs: loopDelay.max / 1e6,
    gcPauseMaxMs: gcPauses.maxMs,
    gcPauseTotalMs: gcPauses.totalMs,
  };
  loopDelay.reset();
  gcPauses.maxMs = 0;
  gcPauses.totalMs = 0;
  return reading;
}

function redisPort(store: ReturnType<typeof loadConfig>['store']): number | undefined {
  return store.kind === 'redis' ? Number(new URL(store.url).port || 6379) : undefined;
}

function usage(counter: RedisTrafficCounter | undefined): ServerUsage {
  const cpu = process.cpuUsage();
  const memory = process.memoryUsage();
  const traffic = counter?.read() ?? { writes: 0, roundTrips: 0 };
  return {
    cpuUserUs: cpu.user,
    cpuSystemUs: cpu.system,
    rssBytes: memory.rss,
    heapUsedBytes: memory.heapUsed,
    redisWrites: traffic.writes,
    redisRoundTrips: traffic.roundTrips,
    ...pausesSinceLastReading(),
  };
}

// Profiling through the inspector, so start-up and training stay out of the profile.
const session = new Session();

async function startProfile(): Promise<void> {
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.start');
}

async function stopProfile(file: string): Promise<void> {
  const { profile } = await session.post('Profiler.stop');
  writeFileSync(file, JSON.stringify(profile));
  session.disconnect();
}

async function main(): Promise<void> {
  const config = { ...loadConfig(), port: 0, host: '127.0.0.1' };
  const port = redisPort(config.store);
  const counter = port === undefined ? undefined : countRedisTraffic(port);
  const logger = createLogger({ level: 'silent', redact: redactText });
  const parley = await startParley(loadBotDefinition('acme'), config, { logger });
  process.on('message', (request: { type?: string; file?: string; gc?: boolean }) => {
    // A full collection first (with --expose-gc) when asked, so heap figures compare live data only.
    if (request?.type === 'usage' && request.gc) globalThis.gc?.();
    if (request?.type === 'usage') process.send?.({ type: 'usage', usage: usage(counter) });
    if (request?.type === 'profile-start') void startProfile().then(() => process.send?.({ type: 'ok' }));
    if (request?.type === 'profile-stop' && request.file)
      void stopProfile(request.file).then(() => process.send?.({ type: 'ok' }));
  });
  process.stdout.write(`${JSON.stringify({ url: `${parley.address.url}/webhooks/rest/webhook` })}\n`);
  process.once('SIGTERM', () => void parley.close().then(() => process.exit(0)));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
