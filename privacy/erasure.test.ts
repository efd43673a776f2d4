import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Stores } from '../core/ports';
import { HEADERS, verifyWebhookSignature } from '../handoff/export/webhook';
import { openPostgresRecords, withDurableRecords } from '../stores/postgres';
import { createRedisStores } from '../stores/redis';
import { seedCustomer } from '../test/support/privacy-seed';
import { createTestDatabase, type TestDatabase } from '../test/support/postgres';
import {
  startRedisCluster,
  startRedisServer,
  type RedisCluster,
  type RedisServer,
} from '../test/support/redis-server';
import { customerRefFor } from './customer-ref';
import { sendErasureNotice } from './erasure-notice';
import { createPrivacyService } from './privacy-service';
import { scanStores, type ScanTargets } from './scan';
import type { AnalyticsEvent, AnalyticsStore } from '../core/analytics';
import { systemClock } from '../core/defaults';
import { createMemoryAnalytics } from '../stores/memory-analytics';
import { openPostgresAnalytics } from '../stores/postgres/analytics-store';
import { analyticsData } from './analytics';
import { ExportCodes } from './export-codes';

const turnEvent = (customerId: string, conversationId: string): AnalyticsEvent => ({
  type: 'turn.completed',
  at: Date.now(),
  customerId,
  conversationId,
  channel: 'sms',
  locale: 'en',
  fallback: false,
  outOfScope: false,
  escalated: false,
  toAgent: false,
  durationMs: 1,
});

const retentionMs = 60_000;
const secret = 'hub-secret';
let database: TestDatabase;
let redis: RedisServer;
let cluster: RedisCluster;
let hub: Server;
let hubUrl: string;
const received: Array<{ body: string; verified: boolean }> = [];

beforeAll(async () => {
  [database, redis, cluster] = await Promise.all([
    createTestDatabase(),
    startRedisServer(),
    startRedisCluster(3),
  ]);
  hub = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    request.on('end', () => {
      const header = (name: string) => request.headers[name] as string | undefined;
      const verified = verifyWebhookSignature({
        secret,
        body,
        timestamp: header(HEADERS.timestamp),
        signature: header(HEADERS.signature),
        now: Date.now(),
      });
      received.push({ body, verified });
      response.statusCode = verified ? 204 : 401;
      response.end();
    });
  });
  await new Promise<void>((resolve) => hub.listen(0, '127.0.0.1', resolve));
  hubUrl = `http://127.0.0.1:${(hub.address() as AddressInfo).port}/erasure`;
}, 60_000);

afterAll(async () => {
  await new Promise((resolve) => hub?.close(resolve));
  await Promise.all([database?.drop(), redis?.stop(), cluster?.stop()]);
});

async function checkErasure(stores: Stores, targets: ScanTargets, analytics: AnalyticsStore): Promise<void> {
  const customerRef = customerRefFor('audit-secret');
  const privacy = createPrivacyService({
    stores,
    clock: { now: () => Date.now() },
    customerRef,
    notifyHubs: (notice) => sendErasureNotice(notice, { url: hubUrl, secret }),
    extra: { analytics: analyticsData(analytics) },
  });
  const a = await seedCustomer(stores, 3);
  const b = await seedCustomer(stores, 2);
  for (const seeded of [a, b])
    await analytics.record(seeded.conversations.map((c) => turnEvent(seeded.customerId, c)));
  // A pending "send me my data" code is kept under the customer's id: erasure takes it too.
  await new ExportCodes({ store: stores.keyValue, locks: stores.turns, clock: systemClock }).issue(
    a.customerId,
  );
  const needles = [a.customerId, a.phone, ...a.conversations];
  // The scan can fail: before the erasure it finds the customer in keys, values and rows.
  const before = await scanStores(needles, targets);
  expect(before.findings.length).toBeGreaterThan(5);

  const report = await privacy.eraseCustomer(a.customerId, {
    actor: { kind: 'agent', id: 'dpo' },
    from: '10.0.0.1',
  });
  expect(report.caseIds).toEqual([a.caseId]);
  expect(report.erased).toMatchObject({ analytics: 3, keyValue: 4 });
  expect(await analytics.listByCustomer(report.scope)).toEqual([]);
  expect(report.hubNotice).toEqual({ ok: true, status: 204 });
  const notice = received.at(-1)!;
  expect(notice.verified).toBe(true);
  expect(JSON.parse(notice.body)).toMatchObject({ event: 'customer.erased', caseIds: [a.caseId] });
  for (const id of needles) expect(notice.body).not.toContain(id);

  const after = await scanStores(needles, targets);
  expect(after.findings).toEqual([]);
  expect(after.keysScanned + after.rowsScanned).toBeGreaterThan(0);
  // The other customer is all still there, and the erasure itself is in the audit trail.
  const other = await scanStores([b.customerId, b.phone], targets);
  expect(other.findings.length).toBeGreaterThan(5);
  const trail = await stores.audit.list({ customerRef: customerRef(a.customerId) });
  expect(trail.map((e) => [e.action, e.actor.id, e.from])).toEqual([['erase', 'dpo', '10.0.0.1']]);
}

it('erases a customer from Redis and PostgreSQL, tells the hub, and a scan of every store finds nothing', async () => {
  const hot = await createRedisStores({ url: redis.url, retentionMs, keyPrefix: 'erase' });
  const records = await openPostgresRecords({
    databaseUrl: database.url,
    retentionMs,
    migrate: false,
    sweepIntervalMs: 0,
  });
  const stores = withDurableRecords(hot, records);
  const analytics = await openPostgresAnalytics({
    databaseUrl: database.url,
    retentionMs,
    questionRetentionMs: retentionMs,
    sweepIntervalMs: 0,
  });
  try {
    await checkErasure(stores, { redisUrls: [redis.url], postgresUrl: database.url }, analytics);
  } finally {
    await analytics.close();
    await stores.close();
  }
}, 30_000);

it('erases a customer from every master of a Redis Cluster', async () => {
  const stores = await createRedisStores({ cluster: cluster.nodes, retentionMs, keyPrefix: 'erase' });
  try {
    const urls = cluster.nodes.map((n) => `redis://${n.host}:${n.port}`);
    await checkErasure(
      stores,
      { redisUrls: urls },
      createMemoryAnalytics({ retentionMs, questionRetentionMs: retentionMs }),
    );
  } finally {
    await stores.close();
  }
}, 30_000);
