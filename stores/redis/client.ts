import { createHash } from 'node:crypto';
import { Cluster, Redis } from 'ioredis';
import type { Logger } from '../../core/ports';

/** A standalone connection or a cluster: every command Parley sends works on both. */
export type RedisClient = Redis | Cluster;

export interface RedisConnectionOptions {
  /** A standalone server, e.g. `redis://127.0.0.1:6379`. */
  url?: string;
  /** Seed nodes of a Redis Cluster; takes precedence over `url`. */
  cluster?: Array<{ host: string; port: number }>;
  /** How long one command may take before it fails (default 1500 ms): a stalled Redis never hangs a turn. */
  commandTimeoutMs?: number;
  /** Longest pause between two reconnection attempts (default 500 ms), so recovery follows Redis at once. */
  reconnectMaxDelayMs?: number;
  /**
   * Queue commands while disconnected (default false). Off, a command fails at once while Redis is away;
   * on, it waits at most `commandTimeoutMs` — but ioredis still sends a timed-out queued command when the
   * connection returns, so a write the caller was told had failed may land later. Keep it off unless every
   * write is idempotent.
   */
  offlineQueue?: boolean;
}

/** The timeouts and reconnection policy every Parley connection uses (see `RedisConnectionOptions`). */
export function connectionPolicy(options: RedisConnectionOptions) {
  const { commandTimeoutMs = 1500, reconnectMaxDelayMs = 500, offlineQueue = false } = options;
  if (!(commandTimeoutMs > 0))
    throw new RangeError(`commandTimeoutMs must be positive, got ${commandTimeoutMs}`);
  const retryStrategy = (attempt: number) => Math.min(50 * attempt, reconnectMaxDelayMs);
  return {
    redis: {
      commandTimeout: commandTimeoutMs,
      connectTimeout: Math.max(commandTimeoutMs, 1000),
      enableOfflineQueue: offlineQueue,
      // Commands in flight when the connection drops fail at the first reconnection attempt instead of
      // being resent (and landing after the caller gave up).
      maxRetriesPerRequest: 0,
      autoResendUnfulfilledCommands: false,
      retryStrategy,
    },
    cluster: { enableOfflineQueue: offlineQueue, clusterRetryStrategy: retryStrategy },
  };
}

const OUTAGE =
  /Command timed out|Connection is closed|Stream isn't writeable|Cluster isn't ready|enableOfflineQueue|ECONNREFUSED|ECONNRESET|ETIMEDOUT|EPIPE|EHOSTUNREACH|^LOADING|^CLUSTERDOWN|^TRYAGAIN|^MASTERDOWN|Failed to refresh slots cache|None of startup nodes is available/;

/** True for errors that mean "Redis is not reachable right now", as opposed to a bad command or a bug. */
export function isRedisOutage(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  if (error.name === 'MaxRetriesPerRequestError' || error.name === 'ClusterAllFailedError') return true;
  return OUTAGE.test(error.message);
}

/** The command connection plus the dedicated one the message bus subscribes on. */
export interface RedisConnections {
  client: RedisClient;
  subscriber: RedisClient;
  /** True on a cluster, where the bus uses sharded pub/sub (SPUBLISH/SSUBSCRIBE). */
  sharded: boolean;
  close(): Promise<void>;
}

async function quit(client: RedisClient): Promise<void> {
  // While reconnecting, QUIT would wait in the offline queue for a server that may never come back.
  if (client.status !== 'ready') {
    client.disconnect();
    return;
  }
  try {
    await client.quit();
  } catch {
    // Already gone (server stopped, never connected): drop the sockets without the polite QUIT.
    client.disconnect();
  }
}

// Error messages end up in logs: never put a password from the URL there.
function withoutCredentials(url = 'redis://127.0.0.1:6379'): string {
  try {
    const parsed = new URL(url);
    parsed.username = '';
    parsed.password = '';
    return parsed.toString();
  } catch {
    return 'the configured URL';
  }
}

/*
 * ioredis connects a cluster's nodes lazily, on their first command. While a node is connecting, a Cluster
 * without an offline queue does not hand it commands: it rejects them inside, and its failover handling
 * resends them about 100 ms later through another node and a MOVED redirection, so commands sent one after
 * the other reach Redis out of order (and late). Connecting every node at start-up keeps the first
 * commands off that detour. Best effort: a master unreachable now fails its commands fast, like any outage.
 */
async function connectNodes(cluster: Cluster): Promise<void> {
  await Promise.allSettled(cluster.nodes('all').map((node) => node.ping()));
}

/** Connects both connections before resolving, so configuration errors surface at start-up, not mid-turn. */
export async function connectRedis(
  options: RedisConnectionOptions,
  logger: Logger,
): Promise<RedisConnections> {
  let lastError: Error | undefined;
  const onError = (role: string) => (error: Error) => {
    lastError = error;
    logger.warn({ err: error, role }, 'redis connection error');
  };
  let client: RedisClient;
  let subscriber: RedisClient;
  const policy = connectionPolicy(options);
  if (options.cluster) {
    // ioredis always gives node connections their own offline queue (so `redisOptions` cannot turn it on
    // or off); the cluster-level option is the one that fails fast while the cluster itself is down.
    const clusterOptions = { lazyConnect: true, ...policy.cluster, redisOptions: policy.redis };
    client = new Cluster(options.cluster, clusterOptions);
    subscriber = new Cluster(options.cluster, { ...clusterOptions, shardedSubscribers: true });
  } else {
    // Commands sent in the same tick (many turns' scripts under load) leave in one socket write. One
    // connection keeps their order; the subscriber has nothing to batch.
    client = new Redis(options.url ?? 'redis://127.0.0.1:6379', {
      lazyConnect: true,
      ...policy.redis,
      enableAutoPipelining: true,
    });
    subscriber = client.duplicate({ enableAutoPipelining: false });
  }
  client.on('error', onError('commands'));
  subscriber.on('error', onError('subscriber'));
  const close = async () => {
    await Promise.all([quit(client), quit(subscriber)]);
  };
  try {
    await Promise.all([client.connect(), subscriber.connect()]);
    if (client instanceof Cluster) await connectNodes(client);
  } catch (error) {
    await close();
    // ioredis rejects with "Connection is closed"; the socket error it emitted before says why.
    const reason = lastError?.message ?? (error instanceof Error ? error.message : String(error));
    const target = options.cluster ? 'Redis Cluster' : `Redis at ${withoutCredentials(options.url)}`;
    throw new Error(`could not connect to ${target}: ${reason}`, { cause: error });
  }
  return { client, subscriber, sharded: Boolean(options.cluster), close };
}

/**
 * A Lua script sent by SHA, and in full only when a node has not seen it yet (each cluster node keeps its
 * own script cache). All keys must share one hash slot.
 */
export class LuaScript {
  private readonly sha: string;

  constructor(private readonly source: string) {
    this.sha = createHash('sha1').update(source).digest('hex');
  }

  /**
   * Loads the script into every master's cache ahead of its first run, so that run is one round trip
   * too. Best effort: a node that missed it still gets the full source on NOSCRIPT.
   */
  async load(client: RedisClient): Promise<void> {
    const nodes = client instanceof Cluster ? client.nodes('master') : [client];
    await Promise.allSettled(nodes.map((node) => node.script('LOAD', this.source)));
  }

  async run(client: RedisClient, keys: string[], args: Array<string | number>): Promise<unknown> {
    try {
      return await client.evalsha(this.sha, keys.length, ...keys, ...args);
    } catch (error) {
      if (!(error instanceof Error) || !error.message.startsWith('NOSCRIPT')) throw error;
      return client.eval(this.source, keys.length, ...keys, ...args);
    }
  }
}
