import { Redis } from 'ioredis';
import type { TurnCommit } from '../core/ports';
import { FakeClock } from '../test/support/fake-clock';
import { startRedisServer, type RedisServer } from '../test/support/redis-server';
import { createMemoryStores } from './memory';
import { createRedisStores } from './redis';
import { RedisKeys } from './redis/keys';
import { DEFAULT_DEDUPE_RETENTION_MS, dedupeRetention } from './retention-defaults';

const HOUR = 3_600_000;
const retentionMs = 30 * 24 * HOUR;

const turn = (conversationId: string, messageId: string): TurnCommit => ({
  conversationId,
  state: { conversationId, customerId: 'cust', updatedAt: 1 },
  entries: [{ at: 1, speaker: 'customer', channel: 'rest', text: 'hi' }],
  processed: { messageId, replies: [{ from: 'bot', text: 'hello' }] },
});

describe('dedupe records last as long as a channel may retry, not the whole retention', () => {
  it('has a day as its default, never longer than the retention', () => {
    expect(DEFAULT_DEDUPE_RETENTION_MS).toBe(24 * HOUR);
    expect(dedupeRetention(retentionMs)).toBe(24 * HOUR);
    expect(dedupeRetention(retentionMs, 2 * HOUR)).toBe(2 * HOUR);
    expect(dedupeRetention(HOUR, 2 * HOUR)).toBe(HOUR);
    expect(() => dedupeRetention(retentionMs, 0)).toThrow(RangeError);
  });

  it('memory: the record goes after its period; the state and lines stay', async () => {
    const clock = new FakeClock();
    const stores = createMemoryStores({ retentionMs, clock, dedupeRetentionMs: 6 * HOUR });
    await stores.commits.commit(turn('c1', 'rest:m1'));
    await stores.processed.put('c1', 'rest:m2', [{ from: 'bot', text: 'again' }]);
    clock.advance(6 * HOUR - 1);
    expect(await stores.processed.get('c1', 'rest:m1')).toEqual([{ from: 'bot', text: 'hello' }]);
    expect(await stores.processed.get('c1', 'rest:m2')).toEqual([{ from: 'bot', text: 'again' }]);
    clock.advance(1);
    expect(await stores.processed.get('c1', 'rest:m1')).toBeUndefined();
    expect(await stores.processed.get('c1', 'rest:m2')).toBeUndefined();
    expect(await stores.conversations.get('c1')).toBeDefined();
    expect(await stores.transcripts.count('c1')).toBe(1);
    await stores.close();
  });

  describe('Redis', () => {
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

    it('writes the record with its own TTL, in the commit and on put', async () => {
      const stores = await createRedisStores({ url: server.url, retentionMs, dedupeRetentionMs: 6 * HOUR });
      const keys = new RedisKeys('parley');
      await stores.commits.commit(turn('c1', 'rest:m1'));
      await stores.processed.put('c1', 'rest:m2', [{ from: 'bot', text: 'again' }]);
      for (const messageId of ['rest:m1', 'rest:m2']) {
        const ttl = await admin.pttl(keys.seen('c1', messageId));
        expect(ttl).toBeGreaterThan(6 * HOUR - 60_000);
        expect(ttl).toBeLessThanOrEqual(6 * HOUR);
      }
      expect(await admin.pttl(keys.state('c1'))).toBeGreaterThan(retentionMs - 60_000);
      expect(await admin.pttl(keys.transcript('c1'))).toBeGreaterThan(retentionMs - 60_000);
      expect(await stores.processed.get('c1', 'rest:m1')).toEqual([{ from: 'bot', text: 'hello' }]);
      await stores.close();
    });
  });
});
