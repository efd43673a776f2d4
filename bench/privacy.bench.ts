/**
 * Subject-access export and erasure for one customer with 1,000 conversations (PARLEY_BENCH_CONVERSATIONS),
 * on memory and on a Redis this script starts. Targets: export < 60 s, erasure < 10 s.
 *
 *   npm run bench:privacy
 */
import type { Stores } from '../core/ports';
import { customerRefFor } from '../privacy/customer-ref';
import { renderExportHtml } from '../privacy/export-html';
import { createPrivacyService } from '../privacy/privacy-service';
import { createMemoryStores } from '../stores/memory';
import { createRedisStores } from '../stores/redis';
import { seedCustomer } from '../test/support/privacy-seed';
import { startRedisServer } from '../test/support/redis-server';

const conversations = Number(process.env['PARLEY_BENCH_CONVERSATIONS'] ?? 1000);
const retentionMs = 86_400_000;

async function measure(name: string, stores: Stores): Promise<{ exportMs: number; eraseMs: number }> {
  // Noise: other customers' data the scans must walk past.
  for (let i = 0; i < 20; i += 1) await seedCustomer(stores, 5);
  const seeded = await seedCustomer(stores, conversations);
  const privacy = createPrivacyService({
    stores,
    clock: { now: () => Date.now() },
    customerRef: customerRefFor('bench'),
  });
  const request = { actor: { kind: 'system' as const, id: 'bench' } };
  let started = performance.now();
  const data = await privacy.exportCustomer(seeded.customerId, request);
  const html = renderExportHtml(data);
  const exportMs = performance.now() - started;
  if (data.conversations.length !== conversations) throw new Error(`export missed conversations on ${name}`);
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
  const memory = createMemoryStores({ retentionMs });
  results.push(['memory', await measure('memory', memory)]);
  await memory.close();
  const server = await startRedisServer();
  const redis = await createRedisStores({ url: server.url, retentionMs });
  try {
    results.push(['redis', await measure('Redis', redis)]);
  } finally {
    await redis.close();
    await server.stop();
  }
  const failed = results.filter(([, r]) => r.exportMs >= 60_000 || r.eraseMs >= 10_000);
  if (failed.length > 0) {
    console.error(`over target on ${failed.map(([n]) => n).join(', ')} (export < 60 s, erasure < 10 s)`);
    process.exitCode = 1;
  }
}

void main();
