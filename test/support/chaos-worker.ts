/**
 * One Parley server process for the chaos tests: REST on a free port, stores from the environment
 * (REDIS_URL, PARLEY_TURN_LEASE_MS) through `loadConfig`, the counting dialog with slow turns.
 * Prints `{"url": …}` once listening. Arguments: the slow turn's length in ms, and optionally
 * `--die-after-commit`: SIGKILL itself right after committing a turn whose text says "die after commit",
 * before the reply leaves.
 *
 * Run with `node --import tsx test/support/chaos-worker.ts 4000`.
 */
import { loadConfig } from '../../app/config';
import { createHttpServer } from '../../connectors/http/http-server';
import { createRuntime } from '../../app/runtime';
import type { Stores } from '../../core/ports';
import { createRedisStores } from '../../stores/redis';
import { silentLogger } from '../../stores/silent-logger';
import { countingDialog, echoNlu } from './crash-kit';

async function main(): Promise<void> {
  const [slowArg, flag] = process.argv.slice(2);
  const config = loadConfig();
  if (config.store.kind !== 'redis') throw new Error('the chaos worker needs REDIS_URL');
  const stores = await createRedisStores({
    url: config.store.url,
    retentionMs: config.retentionMs,
    lockLeaseMs: config.turnLeaseMs,
  });
  const runtime = createRuntime({
    stores: flag === '--die-after-commit' ? dyingAfterCommit(stores) : stores,
    nlu: echoNlu,
    dialog: countingDialog(Number(slowArg ?? 0)),
    redact: (text) => ({ text, redactions: [] }),
    logger: silentLogger,
  });
  const server = createHttpServer({ runtime, logger: silentLogger, webChat: false });
  const { url } = await server.listen(0, '127.0.0.1');
  process.stdout.write(`${JSON.stringify({ url })}\n`);
}

function dyingAfterCommit(stores: Stores): Stores {
  return {
    ...stores,
    commits: {
      async commit(turn) {
        await stores.commits.commit(turn);
        if (turn.entries.some((e) => e.text === 'die after commit')) process.kill(process.pid, 'SIGKILL');
      },
    },
  };
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
