import type { Clock, DeviceStores, Logger, Stores } from '../../core/ports';
import { RedisTranscriptStore } from './transcript-store';
import type { DataClass, RetentionPolicy } from '../../core/retention';
import { silentLogger } from '../silent-logger';
import { RedisCaseStore } from './case-store';
import { connectRedis, isRedisOutage, type RedisClient, type RedisConnectionOptions } from './client';
import { guardStore } from '../../core/store-unavailable';
import { RedisConversationStore, RedisKeyValueStore, RedisProcessedMessages } from './conversation-store';
import { RedisIdentityStore } from './identity-store';
import { RedisKeys } from './keys';
import { RedisMessageBus } from './message-bus';
import { RedisAttemptCounter, RedisRevokedTokens } from './sign-in';
import { COMMIT, RedisTurnCommitter } from './turn-committer';
import { ACQUIRE, BEGIN, RELEASE, RENEW } from './turn-scripts';
import { RedisTurnQueue } from './turn-queue';
import { RedisAuditTrail, RedisConsentLedger } from './privacy-store';
import { systemClock } from '../../core/defaults';
import { AUDIT_RETENTION_MS, CONSENT_RETENTION_MS, dedupeRetention } from '../retention-defaults';
import { createRedisDeviceStores } from './device-stores';

export { StoresClosedError, TurnSkippedError } from './turn-queue';

/** A few seconds: a conversation whose process died answers again about this long after the death. */
export const DEFAULT_TURN_LEASE_MS = 3000;

export interface RedisStoresOptions extends RedisConnectionOptions {
  /** How long anything stays after its last write; every key carries it as a TTL. */
  retentionMs: number;
  /** Namespace of every key and channel; lets several bots share one Redis. */
  keyPrefix?: string;
  /**
   * Redis expires keys on its own clock, and turn leases are measured by Redis too, so processes never
   * have to agree on the time; this clock only stamps tombstones and dates audit entries.
   */
  clock?: Clock;
  /**
   * How long a message's dedupe record (the replies its retry gets) stays: as long as a channel may retry.
   * Default `DEFAULT_DEDUPE_RETENTION_MS` (24 h), never longer than `retentionMs`.
   */
  dedupeRetentionMs?: number;
  /** How long consent records stay after a customer's last answer. Default 3 years. */
  consentRetentionMs?: number;
  /** How long audit entries stay. Default 1 year. */
  auditRetentionMs?: number;
  /** Periods of their own for some classes of data (each a TTL); the others follow `retentionMs`. */
  retention?: Partial<RetentionPolicy>;
  /**
   * How long a turn holder may go silent (crashed, partitioned) before waiting turns move past it and past
   * every turn its process had queued, in one step. The holder renews it every third of that while alive,
   * so long turns are never overtaken. Default `DEFAULT_TURN_LEASE_MS`.
   */
  lockLeaseMs?: number;
  /** How long a message with a `sequence` waits for its predecessor before it goes ahead. Default 2 s. */
  sequenceWaitMs?: number;
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
  const { retentionMs, lockLeaseMs = DEFAULT_TURN_LEASE_MS, keyPrefix = 'parley' } = options;
  const logger = options.logger ?? silentLogger;
  if (!(retentionMs > 0)) throw new RangeError(`retentionMs must be positive, got ${retentionMs}`);
  if (!(lockLeaseMs > 0)) throw new RangeError(`lockLeaseMs must be positive, got ${lockLeaseMs}`);
  const dedupeRetentionMs = dedupeRetention(retentionMs, options.dedupeRetentionMs);
  const keys = new RedisKeys(keyPrefix);
  const clock = options.clock ?? systemClock;
  const connections = await connectRedis(options, logger);
  const { client } = connections;
  // A turn's scripts, cached on every node now rather than resent in full by the first turns.
  await Promise.all([BEGIN, ACQUIRE, RENEW, RELEASE, COMMIT].map((script) => script.load(client)));
  const period = (name: DataClass) => options.retention?.[name] ?? retentionMs;
  const identities = new RedisIdentityStore(client, keys, period('identities'));
  const turns = new RedisTurnQueue(client, keys, {
    leaseMs: lockLeaseMs,
    retentionMs,
    logger,
    identities,
    claimWithTurn: !connections.sharded,
    ...(options.sequenceWaitMs !== undefined ? { sequenceWaitMs: options.sequenceWaitMs } : {}),
  });
  let closing: Promise<void> | undefined;
  // An unreachable Redis rejects with StoreUnavailableError, which connectors answer with "try again".
  const guard = <T extends object>(store: T): T => guardStore(store, 'redis', isRedisOutage);

  const ttls = {
    stateMs: period('state'),
    transcriptMs: period('transcripts'),
    dedupeMs: options.retention?.dedupe ?? dedupeRetentionMs,
  };
  return {
    conversations: guard(new RedisConversationStore(client, keys, ttls.stateMs, turns.loaded)),
    identities: guard(identities),
    turns: guard(turns),
    processed: guard(new RedisProcessedMessages(client, keys, ttls.dedupeMs, turns.loaded)),
    transcripts: guard(new RedisTranscriptStore(client, (id) => keys.transcript(id), ttls.transcriptMs)),
    commits: guard(new RedisTurnCommitter(client, keys, turns, { leaseMs: lockLeaseMs, retentionMs, ttls })),
    cases: guard(new RedisCaseStore(client, keys, period('cases'), clock)),
    bus: guard(new RedisMessageBus(client, connections.subscriber, keys, connections.sharded, logger)),
    keyValue: guard(new RedisKeyValueStore(client, keys, period('connectorValues'))),
    attempts: guard(new RedisAttemptCounter(client, keys)),
    revokedTokens: guard(new RedisRevokedTokens(client, keys)),
    consent: guard(
      new RedisConsentLedger(
        client,
        keys,
        options.retention?.consent ?? options.consentRetentionMs ?? CONSENT_RETENTION_MS,
      ),
    ),
    audit: guard(
      new RedisAuditTrail(
        client,
        keys,
        options.retention?.audit ?? options.auditRetentionMs ?? AUDIT_RETENTION_MS,
        clock,
      ),
    ),
    devices: guardDevices(createRedisDeviceStores(client, keys, retentionMs), guard),
    async ping() {
      await client.ping();
    },
    probes: {
      redis: async () => {
        await client.ping();
      },
      // The subscriber is the bus's other half: pushes stop reaching this process while it is down.
      bus: async () => connectedOrThrow(connections.subscriber),
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

function connectedOrThrow(connection: RedisClient): void {
  if (connection.status !== 'ready') throw new Error(`subscriber connection is ${connection.status}`);
}

/** Each device store fails fast as one of the Redis stores. */
function guardDevices(stores: DeviceStores, guard: <T extends object>(store: T) => T): DeviceStores {
  return { registry: guard(stores.registry), claims: guard(stores.claims), journal: guard(stores.journal) };
}
