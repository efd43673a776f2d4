import { Cluster } from 'ioredis';
import { redisStoresFixture } from '../../test/contracts/redis-fixture';
import { describeCustomerData } from '../../test/contracts/customer-data.contract';
import { describeIdentities } from '../../test/contracts/identities.contract';
import { describeStores } from '../../test/contracts/stores.contract';
import { startRedisCluster, type RedisCluster } from '../../test/support/redis-server';
import { createRedisStores } from '.';

const retentionMs = 60_000;
let cluster: RedisCluster;
let admin: Cluster;

beforeAll(async () => {
  cluster = await startRedisCluster(3);
  admin = new Cluster(cluster.nodes);
}, 30_000);

afterAll(async () => {
  await admin?.quit();
  await cluster?.stop();
});

// KEYS and SCAN see one node only: walk every master.
async function keyTtls(prefix: string): Promise<Array<{ key: string; ttlMs: number }>> {
  const found: Array<{ key: string; ttlMs: number }> = [];
  for (const node of admin.nodes('master')) {
    let cursor = '0';
    do {
      const [next, keys] = await node.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
      for (const key of keys) found.push({ key, ttlMs: await node.pttl(key) });
      cursor = next;
    } while (cursor !== '0');
  }
  return found;
}

describeStores(
  'Redis Cluster, 3 masters',
  redisStoresFixture(() => ({ cluster: cluster.nodes }), keyTtls, retentionMs),
  { shared: true },
);

describeIdentities(
  'Redis Cluster, 3 masters',
  redisStoresFixture(() => ({ cluster: cluster.nodes }), keyTtls, retentionMs),
  {
    shared: true,
  },
);

describeCustomerData(
  'Redis Cluster, 3 masters',
  redisStoresFixture(() => ({ cluster: cluster.nodes }), keyTtls, retentionMs),
);

it('spreads conversations over every master', async () => {
  const stores = await createRedisStores({ cluster: cluster.nodes, retentionMs, keyPrefix: 'spread' });
  for (let i = 0; i < 30; i += 1)
    await stores.conversations.put({ conversationId: `c${i}`, customerId: 'x', updatedAt: i });
  const perNode = await Promise.all(admin.nodes('master').map((node) => node.dbsize()));
  expect(perNode.every((count) => count > 0)).toBe(true);
  await stores.close();
});
