/**
 * Subject-access export and erasure for one customer with 1,000 conversations (PARLEY_BENCH_CONVERSATIONS)
 * and 5 analytics events per conversation, on memory, on a Redis this script starts, and on Redis with
 * PostgreSQL records and analytics (a database it creates and drops). Targets: export < 60 s, erasure < 10 s.
 *
 *   npm run bench:privacy
 */
import type { AnalyticsEvent, AnalyticsStore } from '../core/analytics';
import type { Stores } from '../core/ports';
import { analyticsData } from '../privacy/analytics';
import { createMemoryAnalytics } from '../stores/memory-analytics';
import { openPostgresRecords, withDurableRecords } from '../stores/postgres';
import { openPostgresAnalytics } from '../stores/postgres/analytics-store';
import { createTestDatabase } from '../test/support/postgres';
import { customerRefFor } from '../privacy/customer-ref';
import { renderExportHtml } from '../privacy/export-html';
import { createPrivacyService } from '../privacy/privacy-service';
import { createMemoryStores } from '../stores/memory';
import { createRedisStores } from '../stores/redis';
import { seedCustomer } from '../test/support/privacy-seed';
import { startRedisServer } from '../test/support/redis-server';

const conversations = Number(process.env['PARLEY_BENCH_CONVERSATIONS'] ?? 1000);
const retentionMs = 86_400_000;

const turnEvent = (customerId: string, conversationId: string, at: number): AnalyticsEvent => ({
  type: 'turn.completed',
  at,
  customerId,
  conversationId,
  channel: 'sms',
  locale: 'en',
  intent: 'order_status',
  confidence: 0.9,
  fallback: false,
  outOfScope: false,
  escalated: false,
  toAgent: false,
  durationMs: 12,
});

async function measure(
  name: string,
  stores: Stores,
  analytics: AnalyticsStore,
): Promise<{ exportMs: number; eraseMs: number }> {
  // Noise: other customers' data the scans must walk past.
  for (let i = 0; i < 20; i += 1) {
    const other = await seedCustomer(stores, 5);
    await analytics.record(other.conversations.map((c) => turnEvent(other.customerId, c, Date.now())));
  }
  const seeded = await seedCustomer(stores, conversations);
  const events = seeded.conversations.flatMap((c) =>
    [1, 2, 3, 4, 5].map((n) => turnEvent(seeded.customerId, c, Date.now() - n)),
  );
  for (let i = 0; i < events.length; i += 500) await analytics.record(events.slice(i, i + 500));
  const privacy = createPrivacyService({
    stores,
    clock: { now: () => Date.now() },
    customerRef: customerRefFor('bench'),
    extra: { analytics: analyticsData(analytics) },
  });
  const request = { actor: { kind: 'system' as const, id: 'bench' } };
  let started = performance.now();
  const data = await privacy.exportCustomer(seeded.customerId, request);
  const html = renderExportHtml(data);
  const exportMs = performance.now() - started;
  if (data.conversations.length !== conversations) throw new Error(`export missed conversations on ${name}`);
  if (data.analytics.length !== events.length) throw new Error(`export missed analytics events on ${name}`);
  started = performance.now();
  const report = await privacy.eraseCustomer(seeded.customerId, request);
  const eraseMs = performance.now() - started;
  if ((await stores.identities.scope(seeded.customerId)).conversationIds.length !== 0)
    throw new Error(`erasure left the index on ${name}`);
  console.log(
    `${name}: ${conversations} conversations, export ${exportMs.toFixed(0)} ms ` +
      `(${(JSON.stringify(data).length / 1024).toFixed(0)} KiB JSON, ${(html.length / 1024).toFixed(0)} KiB HTML), ` +
      `erasure ${eraseMs.toFixed(0)} ms (${JSON.stringify(report.erased)})`,
  );
  return { exportMs, eraseMs };
}

async function main(): Promise<void> {
  const results: Array<[string, { exportMs: number; eraseMs: number }]> = [];
  const retention = { retentionMs, questionRetentionMs: retentionMs };
  const memory = createMemoryStores({ retentionMs });
  results.push(['memory', await measure('memory', memory, createMemoryAnalytics(retention))]);
  await memory.close();
  const server = await startRedisServer();
  const database = await createTestDatabase();
  try {
    const redis = await createRedisStores({ url: server.url, retentionMs, keyPrefix: 'bench' });
    results.push(['redis', await measure('Redis', redis, createMemoryAnalytics(retention))]);
    await redis.close();
    const hot = await createRedisStores({ url: server.url, retentionMs, keyPrefix: 'bench-pg' });
    const options = { databaseUrl: database.url, retentionMs, sweepIntervalMs: 0 };
    const records = await openPostgresRecords({ ...options, migrate: false });
    const analytics = await openPostgresAnalytics({ ...options, questionRetentionMs: retentionMs });
    try {
      const stores = withDurableRecords(hot, records);
      results.push(['redis+postgres', await measure('Redis + PostgreSQL', stores, analytics)]);
    } finally {
      await analytics.close();
      await withDurableRecords(hot, records).close();
    }
  } finally {
    await database.drop();
    await server.stop();
  }
  const failed = results.filter(([, r]) => r.exportMs >= 60_000 || r.eraseMs >= 10_000);
  if (failed.length > 0) {
    console.error(`over target on ${failed.map(([n]) => n).join(', ')} (export < 60 s, erasure < 10 s)`);
    process.exitCode = 1;
  }
}

void main();
