import { loadConfig } from '../../app/config';
import type { Case } from '../../core/case';
import type { Stores } from '../../core/ports';
import { retentionCommand } from '../../cli/actions/privacy';
import { scanRetention } from '../../privacy/scan';
import { createMemoryStores } from '../../stores/memory';
import { openPostgresRecords } from '../../stores/postgres';
import { createRedisStores } from '../../stores/redis';
import { readAllKeys } from '../../stores/redis/inspect';
import { FakeClock } from '../support/fake-clock';
import { createTestDatabase, type TestDatabase } from '../support/postgres';
import { startRedisCluster, startRedisServer } from '../support/redis-server';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const retention = { state: 1 * HOUR, transcripts: 2 * HOUR, dedupe: HOUR / 2, identities: 3 * HOUR };

afterEach(() => {
  process.exitCode = undefined;
});

describe('retention per data class, from the configuration', () => {
  it('reads a period per class, identities outliving what is found through them by default', () => {
    const config = loadConfig({
      PARLEY_RETENTION_DAYS: '30',
      PARLEY_RETENTION_TRANSCRIPTS_DAYS: '90',
      PARLEY_RETENTION_DEDUPE_DAYS: '1',
      PARLEY_UNANSWERED_RETENTION_DAYS: '14',
    });
    expect(config.retention).toEqual({
      state: 30 * DAY,
      identities: 90 * DAY,
      dedupe: 1 * DAY,
      connectorValues: 30 * DAY,
      transcripts: 90 * DAY,
      cases: 30 * DAY,
      consent: 1095 * DAY,
      audit: 365 * DAY,
      analytics: 30 * DAY,
      unansweredQuestions: 14 * DAY,
    });
  });

  it('refuses identities kept for less time than the records found through them', () => {
    expect(() =>
      loadConfig({ PARLEY_RETENTION_CASES_DAYS: '60', PARLEY_RETENTION_IDENTITIES_DAYS: '30' }),
    ).toThrow(/PARLEY_RETENTION_IDENTITIES_DAYS: identities are kept for less time than cases/);
  });
});

const commitOneTurn = (stores: Stores, id: string) =>
  stores.commits.commit({
    conversationId: id,
    state: { conversationId: id, customerId: `cust-${id}`, updatedAt: 1 },
    entries: [{ at: 1, speaker: 'customer', channel: 'sms', text: 'hello' }],
    processed: { messageId: 'm1', replies: [{ from: 'bot', text: 'hi' }] },
  });

describe.each([
  [
    'redis',
    async () => startRedisServer().then((s) => ({ urls: [s.url], connection: { url: s.url }, stop: s.stop })),
  ],
  [
    'redis cluster',
    async () =>
      startRedisCluster().then((c) => ({
        urls: c.nodes.map((n) => `redis://${n.host}:${n.port}`),
        connection: { cluster: c.nodes },
        stop: c.stop,
      })),
  ],
])('TTLs per class on %s', (_name, start) => {
  let server: Awaited<ReturnType<typeof start>>;
  beforeAll(async () => {
    server = await start();
  }, 60_000);
  afterAll(async () => server.stop());

  it("gives the state, transcript, dedupe record and identities their class's TTL, and no key is left without one", async () => {
    const stores = await createRedisStores({
      ...server.connection,
      retentionMs: DAY,
      retention,
      keyPrefix: 'ret',
    });
    await stores.identities.resolve(
      { channel: 'sms', userId: '+1555' },
      { customerId: 'c', conversationId: 'conv-r' },
    );
    await commitOneTurn(stores, 'conv-r');
    await stores.close();
    const keys = (await Promise.all(server.urls.map((url) => readAllKeys(url)))).flat();
    const ttlOf = (part: string) => keys.find((k) => k.key.includes(part))?.ttlMs ?? -3;
    expect(ttlOf('{conv:conv-r}:state')).toBeGreaterThan(HOUR - 60_000);
    expect(ttlOf('{conv:conv-r}:state')).toBeLessThanOrEqual(HOUR);
    expect(ttlOf('{conv:conv-r}:transcript')).toBeGreaterThan(2 * HOUR - 60_000);
    expect(ttlOf('{conv:conv-r}:transcript')).toBeLessThanOrEqual(2 * HOUR);
    expect(ttlOf('{conv:conv-r}:seen:m1')).toBeLessThanOrEqual(HOUR / 2);
    expect(ttlOf('{addr:sms:')).toBeGreaterThan(2 * HOUR);
    const report = await scanRetention({ redisUrls: server.urls }, loadConfig({}).retention, Date.now());
    expect(report.keysScanned).toBe(keys.length);
    expect(report.withoutExpiry).toEqual([]);
  });
});

it('expires each class after its own period in memory', async () => {
  const clock = new FakeClock();
  const stores = createMemoryStores({ retentionMs: DAY, retention, clock });
  await commitOneTurn(stores, 'conv-m');
  clock.advance(HOUR / 2 + 1);
  expect(await stores.processed.get('conv-m', 'm1')).toBeUndefined();
  expect(await stores.conversations.get('conv-m')).toBeDefined();
  clock.advance(HOUR / 2);
  expect(await stores.conversations.get('conv-m')).toBeUndefined();
  expect(await stores.transcripts.read('conv-m')).toHaveLength(1);
  clock.advance(HOUR);
  expect(await stores.transcripts.read('conv-m')).toHaveLength(0);
});

describe('PostgreSQL: a sweep per class, and the retention scan', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(async () => database?.drop());

  it('sweeps transcripts after their period and cases after theirs; the scan reports rows the sweep has not reached', async () => {
    const clock = new FakeClock(Date.UTC(2026, 0, 1));
    const records = await openPostgresRecords({
      databaseUrl: database.url,
      retentionMs: 30 * DAY,
      retention: { transcripts: 1 * DAY, cases: 10 * DAY },
      migrate: false,
      sweepIntervalMs: 0,
      clock,
    });
    try {
      await records.transcripts.append('conv-p', [
        { at: 1, speaker: 'customer', channel: 'sms', text: 'hi' },
      ]);
      await records.cases.create(aCase('case-p', 'conv-p', clock.now()));
      clock.advance(2 * DAY);
      const policy = { ...loadConfig({}).retention, transcripts: 1 * DAY, cases: 10 * DAY };
      const before = await scanRetention({ postgresUrl: database.url }, policy, clock.now());
      expect(before.overdue).toEqual([{ table: 'parley_transcripts', rows: 1 }]);
      expect(before.withoutExpiry).toEqual([]);
      expect(await records.transcripts.read('conv-p')).toEqual([]);
      expect(await records.sweep()).toMatchObject({ parley_transcripts: 1, parley_cases: 0 });
      expect(await records.cases.get('case-p')).toBeDefined();
      expect((await scanRetention({ postgresUrl: database.url }, policy, clock.now())).overdue).toEqual([]);
      clock.advance(9 * DAY);
      expect(await records.sweep()).toMatchObject({ parley_cases: 1 });
    } finally {
      await records.close();
    }
  });

  it('`parley privacy retention` exits 1 when a Redis key has no expiry', async () => {
    const server = await startRedisServer();
    try {
      const stores = await createRedisStores({ url: server.url, retentionMs: DAY });
      await stores.keyValue.set('kept-forever', 1);
      await stores.close();
      const clean: string[] = [];
      await retentionCommand(loadConfig({ REDIS_URL: server.url, DATABASE_URL: database.url }), {
        out: (t) => clean.push(t),
        err: (t) => clean.push(t),
      });
      expect(clean.join('')).toContain('Everything stored expires within its retention.');
      expect(process.exitCode).toBeUndefined();
      const { Redis } = await import('ioredis');
      const admin = new Redis(server.url);
      await admin.set('parley:left-behind', 'x');
      await admin.quit();
      const out: string[] = [];
      await retentionCommand(loadConfig({ REDIS_URL: server.url }), {
        out: (t) => out.push(t),
        err: (t) => out.push(t),
      });
      expect(out.join('')).toContain('NO EXPIRY redis parley:left-behind');
      expect(process.exitCode).toBe(1);
    } finally {
      await server.stop();
    }
  });
});

function aCase(id: string, conversationId: string, at: number): Case {
  return {
    id,
    conversationId,
    customerId: 'cust-p',
    channels: ['sms'],
    queue: 'billing',
    priority: 1,
    status: 'queued',
    createdAt: at,
    updatedAt: at,
    package: {
      version: 1,
      reason: 'complaint',
      summary: { slots: {}, tried: [] },
      customer: { id: 'cust-p', identities: [] },
      transcript: [],
    },
  };
}
