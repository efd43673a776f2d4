import type { Stores } from '../../core/ports';
import { guardStore, StoreUnavailableError } from '../../core/store-unavailable';
import { isRedisOutage } from './client';
import { startRestartableRedis, type RestartableRedis } from '../../test/support/restartable-redis';
import { createRedisStores } from '.';

const RETENTION_MS = 60_000;

/** How long `work` took to settle, and how. */
async function timed(work: Promise<unknown>): Promise<{ ms: number; error?: unknown }> {
  const started = Date.now();
  try {
    await work;
    return { ms: Date.now() - started };
  } catch (error) {
    return { ms: Date.now() - started, error };
  }
}

describe('Redis stores fail fast and recover at once', () => {
  let redis: RestartableRedis;
  let stores: Stores;

  beforeEach(async () => {
    redis = await startRestartableRedis();
    stores = await createRedisStores({ url: redis.url, retentionMs: RETENTION_MS, commandTimeoutMs: 400 });
  });

  afterEach(async () => {
    redis.thaw();
    await stores.close();
    await redis.stop();
  });

  it('rejects with StoreUnavailableError at once while Redis is down, and works as soon as it is back', async () => {
    await stores.conversations.put({ conversationId: 'c1', customerId: 'u1', updatedAt: 1 });
    await redis.kill();
    const down = await timed(stores.conversations.get('c1'));
    expect(down.error).toBeInstanceOf(StoreUnavailableError);
    expect((down.error as StoreUnavailableError).store).toBe('redis');
    expect(down.ms).toBeLessThan(400 + 300);
    // Waiting for a turn's place in the queue fails as fast: nothing sits in an offline queue.
    const queued = await timed(stores.turns.run('c1', async () => 'ran'));
    expect(queued.error).toBeInstanceOf(StoreUnavailableError);
    expect(queued.ms).toBeLessThan(400 + 300);

    await redis.restart();
    const back = Date.now();
    // Reconnection attempts are at most 500 ms apart: the first command after that succeeds.
    let recovered = false;
    while (!recovered && Date.now() - back < 5000) {
      recovered = (await timed(stores.conversations.get('c1'))).error === undefined;
      if (!recovered) await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(recovered).toBe(true);
    expect(Date.now() - back).toBeLessThan(1500);
    await expect(stores.turns.run('c1', async () => 'ran')).resolves.toBe('ran');
  }, 20_000);

  it('gives up on a Redis that accepts but never answers after the command timeout', async () => {
    redis.freeze();
    const hung = await timed(stores.processed.get('c1', 'm1'));
    expect(hung.error).toBeInstanceOf(StoreUnavailableError);
    expect(String((hung.error as Error).message)).toMatch(/timed out/);
    expect(hung.ms).toBeGreaterThanOrEqual(350);
    expect(hung.ms).toBeLessThan(400 + 400);
  }, 20_000);

  it('tells an outage from a bug: other errors pass through unchanged', async () => {
    expect(
      isRedisOutage(new Error('WRONGTYPE Operation against a key holding the wrong kind of value')),
    ).toBe(false);
    expect(isRedisOutage(new Error('Command timed out'))).toBe(true);
    const bug = new TypeError('flow bug');
    const guarded = guardStore({ fail: async () => Promise.reject(bug) }, 'redis', isRedisOutage);
    await expect(guarded.fail()).rejects.toBe(bug);
    const outage = guardStore(
      { fail: async () => Promise.reject(new Error('Connection is closed.')) },
      'redis',
      isRedisOutage,
    );
    await expect(outage.fail()).rejects.toBeInstanceOf(StoreUnavailableError);
  });
});
