import { loadConfig } from '../../app/config';
import { createRedisStores } from '../../stores/redis';
import { seedCustomer } from '../../test/support/privacy-seed';
import { startRedisServer, type RedisServer } from '../../test/support/redis-server';
import { eraseCommand, mapCommand, scanCommand } from './privacy';

// Commands report through process.exitCode: leave it as it was for the next test file in this worker.
afterEach(() => {
  process.exitCode = undefined;
});

let redis: RedisServer;
beforeAll(async () => {
  redis = await startRedisServer();
});
afterAll(async () => {
  await redis?.stop();
});

function capture() {
  const out: string[] = [];
  return {
    io: { out: (t: string) => out.push(t), err: (t: string) => out.push(t) },
    text: () => out.join(''),
  };
}

it('scans, erases and scans again: the second scan finds nothing and exits 0', async () => {
  const config = loadConfig({ REDIS_URL: redis.url });
  const stores = await createRedisStores({ url: redis.url, retentionMs: config.retentionMs });
  const seeded = await seedCustomer(stores, 2);
  await stores.close();
  const first = capture();
  await scanCommand(config, first.io, { customer: seeded.customerId, also: [seeded.phone] });
  expect(first.text()).toMatch(/FOUND redis .*\{conv:/);
  expect(process.exitCode).toBe(1);
  process.exitCode = 0;
  await eraseCommand(config, capture().io, { customer: seeded.customerId });
  const second = capture();
  await scanCommand(config, second.io, {
    customer: seeded.customerId,
    also: [seeded.phone, ...seeded.conversations],
  });
  expect(second.text()).toContain('Nothing about the customer remains.');
  expect(second.text()).not.toContain('NO EXPIRY');
  expect(process.exitCode).toBe(0);
});

it('prints the data map for the configured stores, with retention per class', () => {
  const out = capture();
  mapCommand(loadConfig({ REDIS_URL: redis.url, PARLEY_RETENTION_DAYS: '14' }), out.io);
  expect(out.text()).toContain(
    '| redis | transcript lines (redacted) | `<prefix>:{conv:<id>}:transcript` | transcripts | 14 days',
  );
  expect(out.text()).toContain('| consent | 1095 days');
});
