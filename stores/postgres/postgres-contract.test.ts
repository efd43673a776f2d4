import { postgresStoresFixture } from '../../test/contracts/postgres-fixture';
import { describeCustomerData } from '../../test/contracts/customer-data.contract';
import { describeStores } from '../../test/contracts/stores.contract';
import { FakeClock } from '../../test/support/fake-clock';
import { createTestDatabase, type TestDatabase } from '../../test/support/postgres';
import { startRedisServer, type RedisServer } from '../../test/support/redis-server';
import { createMemoryStores } from '../memory';
import { createRedisStores } from '../redis';

const retentionMs = 60_000;
let database: TestDatabase;
let redis: RedisServer;

beforeAll(async () => {
  [database, redis] = await Promise.all([createTestDatabase(), startRedisServer()]);
});

afterAll(async () => {
  await Promise.all([database?.drop(), redis?.stop()]);
});

describeStores(
  'PostgreSQL records, memory hot state',
  postgresStoresFixture(
    () => database.url,
    async (clock) => createMemoryStores({ retentionMs, sequenceWaitMs: 300, ...(clock ? { clock } : {}) }),
    retentionMs,
    () => new FakeClock(),
  ),
  { fakeClock: true },
);

let prefixes = 0;

describeStores(
  'PostgreSQL records, Redis hot state',
  postgresStoresFixture(
    () => database.url,
    () =>
      createRedisStores({
        url: redis.url,
        retentionMs,
        sequenceWaitMs: 300,
        keyPrefix: `pg${(prefixes += 1)}`,
      }),
    retentionMs,
  ),
);

describeCustomerData(
  'PostgreSQL records, Redis hot state',
  postgresStoresFixture(
    () => database.url,
    () => createRedisStores({ url: redis.url, retentionMs, keyPrefix: `pgc${(prefixes += 1)}` }),
    retentionMs,
  ),
);
