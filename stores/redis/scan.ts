import type { RedisClient } from './client';

/**
 * Every key matching `pattern`, with SCAN (so a large keyspace is not blocked). On a cluster SCAN sees one
 * node only, so every master is walked.
 */
export async function scanKeys(client: RedisClient, pattern: string): Promise<string[]> {
  const nodes = 'nodes' in client && typeof client.nodes === 'function' ? client.nodes('master') : [client];
  const found: string[] = [];
  for (const node of nodes) {
    let cursor = '0';
    do {
      const [next, batch] = await node.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
      found.push(...batch);
      cursor = next;
    } while (cursor !== '0');
  }
  return found;
}

/** Deletes keys one command each: on a cluster they may sit in as many slots. Resolves how many existed. */
export async function deleteKeys(client: RedisClient, keys: readonly string[]): Promise<number> {
  const counts = await Promise.all(keys.map((key) => client.del(key)));
  return counts.reduce((sum, n) => sum + n, 0);
}
