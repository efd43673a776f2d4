import { loadBotDefinition, startParley, type RunningParley } from '../../app/bootstrap';
import { loadConfig } from '../../app/config';
import type { Message } from '../../core/message';
import { SCRIPT } from '../../bench/turns-checks';
import { silentLogger } from '../../stores/silent-logger';
import { startRedisServer, type RedisServer } from '../support/redis-server';
import { countRedisTraffic, type RedisTrafficCounter } from '../support/redis-traffic';

// The demo bot as deployed on Redis, analytics and personalisation included (the stores' own round-trip
// test uses a bare runtime): every turn of the benchmark's script waits on Redis at most twice.
let redis: RedisServer;
let parley: RunningParley;
let counter: RedisTrafficCounter;

beforeAll(async () => {
  redis = await startRedisServer();
  const config = loadConfig({ REDIS_URL: redis.url, PORT: '0', LOG_LEVEL: 'silent', PARLEY_RELOAD: 'false' });
  parley = await startParley(loadBotDefinition('acme'), config, { logger: silentLogger });
  counter = countRedisTraffic(redis.port);
}, 60_000);

afterAll(async () => {
  counter?.stop();
  await parley?.close();
  await redis?.stop();
});

const message = (text: string, i: number): Message => ({
  channel: 'rest',
  channelUserId: 'trips-customer',
  conversationId: 'trips-customer',
  messageId: `trip-${i}`,
  kind: 'text',
  text,
  timestamp: Date.now(),
});

describe('Redis round trips of the acme bot', () => {
  it('takes at most two per turn of the benchmark script (load with consent, then commit)', async () => {
    const trips: Array<[string, number]> = [];
    for (const [i, text] of SCRIPT.entries()) {
      counter.reset();
      const replies = await parley.runtime.handle(message(text, i));
      expect(replies.length).toBeGreaterThan(0);
      trips.push([text, counter.read().roundTrips]);
    }
    expect(trips.filter(([, n]) => n > 2)).toEqual([]);
    // Analytics did ask about consent on each of those turns: the events were written.
    const events = await parley.runtime.analytics!.store.read({ from: 0, to: Date.now() + 1 });
    expect(events.filter((e) => e.type === 'turn.completed')).toHaveLength(SCRIPT.length);
  });
});
