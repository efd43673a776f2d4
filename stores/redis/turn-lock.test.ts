import { Redis } from 'ioredis';
import { TurnLockLostError } from '../../core/ports';
import { startRedisServer, type RedisServer } from '../../test/support/redis-server';
import { createRedisStores } from '.';
import { RedisKeys } from './keys';

const retentionMs = 60_000;
let server: RedisServer;
let admin: Redis;

beforeAll(async () => {
  server = await startRedisServer();
  admin = new Redis(server.url);
});

afterAll(async () => {
  await admin?.quit();
  await server?.stop();
});

describe('the Redis turn commit', () => {
  it('refuses, writing nothing, a turn whose lock passed to another turn meanwhile', async () => {
    const stores = await createRedisStores({ url: server.url, retentionMs, keyPrefix: 'fence' });
    const keys = new RedisKeys('fence').turn('c1');
    const commit = stores.turns.run('c1', async () => {
      // As if this process stalled past its lease and a waiter on another process took the turn.
      await admin.incr(keys.serving);
      await stores.commits.commit({
        conversationId: 'c1',
        state: { conversationId: 'c1', customerId: 'x', updatedAt: 1 },
        entries: [{ at: 1, speaker: 'customer', channel: 'rest', text: 'late' }],
        processed: { messageId: 'rest:m1', replies: [] },
      });
    });
    await expect(commit).rejects.toBeInstanceOf(TurnLockLostError);
    expect(await stores.conversations.get('c1')).toBeUndefined();
    expect(await stores.transcripts.count('c1')).toBe(0);
    expect(await stores.processed.get('c1', 'rest:m1')).toBeUndefined();
    await stores.close();
  });

  it('releases the lock in the same step as the writes', async () => {
    const stores = await createRedisStores({ url: server.url, retentionMs, keyPrefix: 'release' });
    const keys = new RedisKeys('release').turn('c2');
    let servingAfterCommit: string | null = null;
    await stores.turns.run('c2', async () => {
      const held = await admin.get(keys.serving);
      await stores.commits.commit({ conversationId: 'c2', entries: [] });
      servingAfterCommit = await admin.get(keys.serving);
      expect(Number(servingAfterCommit)).toBe(Number(held) + 1);
    });
    expect(servingAfterCommit).not.toBeNull();
    expect(await admin.exists(keys.lease)).toBe(0); // nobody waits: no lease to show up in
    await stores.close();
  });
});
