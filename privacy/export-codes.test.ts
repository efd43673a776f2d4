import type { Stores } from '../core/ports';
import { createMemoryStores } from '../stores/memory';
import { createRedisStores } from '../stores/redis';
import { FakeClock } from '../test/support/fake-clock';
import { startRedisCluster, startRedisServer } from '../test/support/redis-server';
import { ExportCodes } from './export-codes';

const RETENTION = 3_600_000;
type Backend = { stores: Stores; stop: () => Promise<void> };

const backends: Array<[string, () => Promise<Backend>]> = [
  ['memory', async () => ({ stores: createMemoryStores({ retentionMs: RETENTION }), stop: async () => {} })],
  [
    'redis',
    async () => {
      const server = await startRedisServer();
      const stores = await createRedisStores({ url: server.url, retentionMs: RETENTION, keyPrefix: 'codes' });
      return { stores, stop: () => server.stop() };
    },
  ],
  [
    'redis cluster',
    async () => {
      const cluster = await startRedisCluster();
      const stores = await createRedisStores({
        cluster: cluster.nodes,
        retentionMs: RETENTION,
        keyPrefix: 'codes',
      });
      return { stores, stop: () => cluster.stop() };
    },
  ],
];

describe.each(backends)('export codes (%s)', (_name, open) => {
  let backend: Backend;
  const clock = new FakeClock(Date.UTC(2026, 0, 1));
  let next = 123_456;
  const codes = () =>
    new ExportCodes({
      store: backend.stores.keyValue,
      locks: backend.stores.turns,
      clock,
      random: () => next,
    });
  beforeAll(async () => {
    backend = await open();
  }, 60_000);
  afterAll(async () => {
    await backend.stores.close();
    await backend.stop();
  });

  it('accepts the right code once, from another process too, and is stored only as a digest under the customer', async () => {
    next = 123_456;
    expect(await codes().issue('cust-a')).toEqual({
      ok: true,
      code: '123456',
      expiresAt: clock.now() + 600_000,
    });
    const stored = await backend.stores.keyValue.listByCustomer({
      customerId: 'cust-a',
      conversationIds: [],
      addresses: [],
    });
    expect(stored.map((e) => e.key).sort()).toEqual([
      'privacy:export-code:cust-a',
      'privacy:export-issued:cust-a',
    ]);
    expect(JSON.stringify(stored)).not.toContain('123456');
    expect(await codes().check('cust-b', '123456')).toEqual({ outcome: 'none' });
    expect(await codes().check('cust-a', 'hello')).toEqual({ outcome: 'none' });
    expect(await codes().check('cust-a', '123 456')).toEqual({ outcome: 'accepted' });
    expect(await codes().check('cust-a', '123456')).toEqual({ outcome: 'none' });
  });

  it('refuses wrong codes with the tries left, then kills the code; refuses an expired one', async () => {
    next = 654_321;
    await codes().issue('cust-c');
    expect(await codes().check('cust-c', '000000')).toEqual({ outcome: 'rejected', triesLeft: 4 });
    await Promise.all([1, 2, 3].map(() => codes().check('cust-c', '000001')));
    expect(await codes().check('cust-c', '000002')).toEqual({ outcome: 'locked' });
    expect(await codes().check('cust-c', '654321')).toEqual({ outcome: 'none' });
    await codes().issue('cust-c');
    clock.advance(600_000);
    expect(await codes().check('cust-c', '654321')).toEqual({ outcome: 'expired' });
  });

  it('accepts a code once when two processes check it at the same moment', async () => {
    next = 222_333;
    await codes().issue('cust-d');
    const outcomes = await Promise.all([
      codes().check('cust-d', '222333'),
      codes().check('cust-d', '222333'),
    ]);
    expect(outcomes.map((o) => o.outcome).sort()).toEqual(['accepted', 'none']);
  });

  it('issues at most 3 codes per customer an hour', async () => {
    for (let i = 0; i < 3; i += 1) expect((await codes().issue('cust-e')).ok).toBe(true);
    expect(await codes().issue('cust-e')).toEqual({ ok: false, reason: 'rate_limited' });
    clock.advance(3_600_000);
    expect((await codes().issue('cust-e')).ok).toBe(true);
  });
});
