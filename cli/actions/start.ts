import cluster, { type Worker } from 'node:cluster';
import { loadBotDefinition, startParley } from '../../app/bootstrap';
import { loadConfig, type ParleyConfig } from '../../app/config';
import { createLogger } from '../../app/logger';
import { redactText } from '../../transcripts/redact';

export interface StartOptions {
  workers: number;
  bot?: string;
}

/** What a worker tells the primary once its server listens. */
interface ListeningNote {
  type: 'parley:listening';
  url: string;
}

// A worker that dies sooner than this after starting counts as crash-looping: restarts slow down.
const CRASH_LOOP_MS = 5000;
// Workers get this long to finish their turns on SIGTERM before they are killed.
const STOP_GRACE_MS = 10_000;

/** Refuses N > 1 processes without a shared store: each would keep its own conversations. */
export function checkWorkers(workers: number, store: ParleyConfig['store']): void {
  if (workers > 1 && store.kind === 'memory') {
    throw new Error(
      `--workers ${workers} needs a shared store: set REDIS_URL (or REDIS_CLUSTER_NODES for a Redis Cluster). ` +
        'With the in-memory store each process would keep its own conversations.',
    );
  }
}

/** `parley start`: the primary supervises the workers; each worker runs one server on the shared port. */
export async function start(options: StartOptions): Promise<void> {
  if (cluster.isPrimary) await supervise(options);
  else await serve(options);
}

async function supervise({ workers, bot }: StartOptions): Promise<void> {
  const config = loadConfig();
  checkWorkers(workers, config.store);
  if (bot) loadBotDefinition(bot); // a bad name fails here, once, not in every worker
  const log = (line: string) => process.stdout.write(`parley: ${line}\n`);
  let stopping = false;
  let announced = false;
  const listening = new Map<number, string>();
  const startedAt = new Map<number, number>();
  let recentCrashes = 0;

  const fork = (): Worker => {
    const worker = cluster.fork();
    startedAt.set(worker.id, Date.now());
    worker.on('message', (note: ListeningNote) => {
      if (note?.type !== 'parley:listening') return;
      listening.set(worker.id, note.url);
      if (!announced && listening.size >= workers) {
        announced = true;
        log(
          `listening on ${note.url} with ${workers} worker${workers > 1 ? 's' : ''} (${config.store.kind} store)`,
        );
      }
    });
    return worker;
  };

  cluster.on('exit', (worker, code, signal) => {
    listening.delete(worker.id);
    if (stopping) return;
    const lived = Date.now() - (startedAt.get(worker.id) ?? 0);
    recentCrashes = lived < CRASH_LOOP_MS ? recentCrashes + 1 : 0;
    const delay = Math.min(250 * 2 ** recentCrashes, 10_000);
    log(`worker ${worker.process.pid} exited (${signal ?? `code ${code}`}); starting another in ${delay} ms`);
    setTimeout(() => {
      if (!stopping) fork();
    }, delay).unref();
  });

  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    log(`${signal}: stopping ${Object.keys(cluster.workers ?? {}).length} workers`);
    const alive = Object.values(cluster.workers ?? {}).filter((w): w is Worker => w !== undefined);
    const killer = setTimeout(() => alive.forEach((w) => w.process.kill('SIGKILL')), STOP_GRACE_MS);
    killer.unref();
    Promise.all(
      alive.map(
        (w) =>
          new Promise<void>((resolve) => {
            if (w.isDead()) return resolve();
            w.once('exit', () => resolve());
            w.process.kill('SIGTERM');
          }),
      ),
    ).then(
      () => {
        clearTimeout(killer);
        log('stopped');
        process.exit(0);
      },
      () => process.exit(1),
    );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
  for (let i = 0; i < workers; i += 1) fork();
}

async function serve({ bot: botName }: StartOptions): Promise<void> {
  const config = loadConfig();
  const logger = createLogger({ level: config.logLevel, redact: redactText });
  const bot = loadBotDefinition(botName ?? config.bot);
  const worker = String(cluster.worker?.id ?? 0);
  // Which process answered: for operators following a request through the load balancing.
  const parley = await startParley(bot, config, { logger, responseHeaders: { 'x-parley-worker': worker } });
  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    parley.close().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', stop);
  // Ctrl-C reaches the whole process group: the primary coordinates, the worker just stops.
  process.on('SIGINT', stop);
  const note: ListeningNote = { type: 'parley:listening', url: parley.address.url };
  process.send?.(note);
}
