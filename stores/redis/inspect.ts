import Redis from 'ioredis';

/** One stored key as an operator (or a privacy scan) sees it. */
export interface StoredKey {
  key: string;
  type: string;
  /** Milliseconds left before the key expires; -1 when it never does. */
  ttlMs: number;
  /** Every value the key holds, as text (list items, set members, hash fields and values, stream entries). */
  values: string[];
}

/**
 * Reads every key of one Redis server with its values and expiry, using SCAN so a large database is not
 * blocked. For operators' tools and tests that prove what is (and is not) stored; never on the turn path.
 *
 * @example
 * for (const { key, ttlMs } of await readAllKeys('redis://127.0.0.1:6379')) if (ttlMs < 0) console.log(key);
 */
export async function readAllKeys(url: string): Promise<StoredKey[]> {
  const client = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1 });
  await client.connect();
  try {
    const keys: string[] = [];
    let cursor = '0';
    do {
      const [next, batch] = await client.scan(cursor, 'COUNT', 1000);
      keys.push(...batch);
      cursor = next;
    } while (cursor !== '0');
    const stored: StoredKey[] = [];
    for (const key of keys) {
      const type = await client.type(key);
      stored.push({ key, type, ttlMs: await client.pttl(key), values: await valuesOf(client, key, type) });
    }
    return stored;
  } finally {
    client.disconnect();
  }
}

/** Removes every key of one Redis server: for tests that reuse a server between cases. */
export async function flushAllKeys(url: string): Promise<void> {
  const client = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1 });
  await client.connect();
  try {
    await client.flushall();
  } finally {
    client.disconnect();
  }
}

async function valuesOf(client: Redis, key: string, type: string): Promise<string[]> {
  switch (type) {
    case 'string':
      return [(await client.get(key)) ?? ''];
    case 'list':
      return client.lrange(key, 0, -1);
    case 'set':
      return client.smembers(key);
    case 'zset':
      return client.zrange(key, 0, -1);
    case 'hash':
      return Object.entries(await client.hgetall(key)).flat();
    case 'stream':
      return (await client.xrange(key, '-', '+')).map((entry) => JSON.stringify(entry));
    default:
      return [`unread type ${type}`];
  }
}
