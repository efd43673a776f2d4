import { createRedisStores, type RedisStoresOptions } from '../../stores/redis';
import type { StoresFixture } from './stores.contract';

type KeyTtls = (prefix: string) => Promise<Array<{ key: string; ttlMs: number }>>;

let prefixes = 0;

/**
 * A contract fixture over one Redis deployment (a node or a cluster). A key prefix per test keeps tests
 * apart on one server and lets the TTL check see only its own keys.
 */
export function redisStoresFixture(
  connection: () => Pick<RedisStoresOptions, 'url' | 'cluster'>,
  keyTtls: KeyTtls,
  retentionMs: number,
): () => Promise<StoresFixture> {
  return async () => {
    const keyPrefix = `t${(prefixes += 1)}`;
    const open = (lockLeaseMs = 400) =>
      createRedisStores({ ...connection(), retentionMs, keyPrefix, lockLeaseMs, sequenceWaitMs: 300 });
    const stores = await open();
    return {
      stores,
      retentionMs,
      openPeer: (options) => open(options?.lockLeaseMs),
      keyTtls: () => keyTtls(keyPrefix),
      cleanup: () => stores.close(),
    };
  };
}
