import type { Clock, Logger, Stores } from '../../core/ports';
import { RedisTranscriptStore } from '../../transcripts/redis.transcript-store';
import { silentLogger } from '../silent-logger';
import { RedisCaseStore } from './case-store';
import { connectRedis, type RedisConnectionOptions } from './client';
import { RedisConversationStore, RedisKeyValueStore, RedisProcessedMessages } from './conversation-store';
import { RedisIdentityStore } from './identity-store';
import { RedisKeys } from './keys';
import { RedisMessageBus } from './message-bus';
import { RedisTurnQueue } from './turn-queue';
import { createRedisDeviceStores } from './device-stores';

export { StoresClosedError } from './turn-queue';

export interface RedisStoresOptions extends RedisConnectionOptions {
  /** How long anything stays after its last write; every key carries it as a TTL. */
  retentionMs: number;
  /** Namespace of every key and channel; lets several bots share one Redis. */
  keyPrefix?: string;
  /**
   * Accepted for symmetry with `createMemoryStores`, but unused: Redis expires keys on its own clock, and
   * turn leases are measured by Redis too, so processes never have to agree on the time.
   */
  clock?: Clock;
  /**
   * How long a turn holder may go silent (crashed, partitioned) before waiting turns move past it. The
   * holder renews it every third of that while alive, so long turns are never overtaken.
   */
  lockLeaseMs?: number;
  logger?: Logger;
}

/**
 * Stores shared by every process connected to one Redis (standalone via `url`, or a Redis Cluster via
 * `cluster` seed nodes). Resolves once connected.
 *
 * @example
 * const stores = await createRedisStores({ url: process.env.REDIS_URL, retentionMs: 30 * 86_400_000 });
 * // ...
 * await stores.close();
 */
export async function createRedisStores(options: RedisStoresOptions): Promise<Stores> {
  const { retentionMs, lockLeaseMs = 30_000, keyPrefix = 'parley' } = options;
  const logger = options.logger ?? silentLogger;
  if (!(retentionMs > 0)) throw new RangeError(`retentionMs must be positive, got ${retentionMs}`);
  if (!(lockLeaseMs > 0)) throw new RangeError(`lockLeaseMs must be positive, got ${lockLeaseMs}`);
  const keys = new RedisKeys(keyPrefix);
  const connections = await connectRedis(options, logger);
  const { client } = connections;
  const turns = new RedisTurnQueue(client, keys, { leaseMs: lockLeaseMs, retentionMs, logger });
  let closing: Promise<void> | undefined;
  return {
    conversations: new RedisConversationStore(client, keys, retentionMs),
    identities: new RedisIdentityStore(client, keys, retentionMs),
    turns,
    processed: new RedisProcessedMessages(client, keys, retentionMs),
    transcripts: new RedisTranscriptStore(client, (id) => keys.transcript(id), retentionMs),
    cases: new RedisCaseStore(client, keys, retentionMs),
    bus: new RedisMessageBus(client, connections.subscriber, keys, connections.sharded, logger),
    keyValue: new RedisKeyValueStore(client, keys, retentionMs),
    devices: createRedisDeviceStores(client, keys, retentionMs),
    async ping() {
      await client.ping();
    },
    close() {
      closing ??= (async () => {
        turns.close();
        await connections.close();
      })();
      return closing;
    },
  };
}
