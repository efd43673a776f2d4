import { Redis } from 'ioredis';
import { redisStoresFixture } from '../../test/contracts/redis-fixture';
import { describeCustomerData } from '../../test/contracts/customer-data.contract';
import { describeIdentities } from '../../test/contracts/identities.contract';
import { describeStores } from '../../test/contracts/stores.contract';
import { startRedisServer, type RedisServer } from '../../test/support/redis-server';
import { createRedisStores } from '.';

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

async function keyTtls(prefix: string): Promise<Array<{ key: string; ttlMs: number }>> {
  const keys: string[] = [];
  let cursor = '0';
  do {
    const [next, batch] = await admin.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
    keys.push(...batch);
    cursor = next;
  } while (cursor !== '0');
  return Promise.all(keys.map(async (key) => ({ key, ttlMs: await admin.pttl(key) })));
}

describeStores(
  'Redis, single node',
  redisStoresFixture(() => ({ url: server.url }), keyTtls, retentionMs),
  { shared: true },
);

describeIdentities(
  'Redis, single node',
  redisStoresFixture(() => ({ url: server.url }), keyTtls, retentionMs),
  {
    shared: true,
  },
);

describeCustomerData(
  'Redis, single node',
  redisStoresFixture(() => ({ url: server.url }), keyTtls, retentionMs),
);

describe('createRedisStores', () => {
  it('rejects, without hanging or leaking a connection, when Redis is unreachable', async () => {
    const dead = await startRedisServer();
    await dead.stop();
    const url = dead.url.replace('redis://', 'redis://:s3cret@');
    const failure = createRedisStores({ url, retentionMs });
    await expect(failure).rejects.toThrow(
      /could not connect to Redis at redis:\/\/127\.0\.0\.1:\d+.*ECONNREFUSED/,
    );
    await expect(failure).rejects.not.toThrow(/s3cret/);
  });

  it('rejects a key prefix that would break hash tags', async () => {
    await expect(createRedisStores({ url: server.url, retentionMs, keyPrefix: 'a{b}' })).rejects.toThrow(
      /braces/,
    );
  });
});
