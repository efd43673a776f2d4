import type { ParleyConfig } from '../../app/config';
import { createStores } from '../../app/bootstrap';
import type { Stores } from '../../core/ports';
import { dataMapFor, renderDataMap, retentionTable } from '../../privacy/data-map';
import { renderExportHtml } from '../../privacy/export-html';
import { scanRetention, scanStores } from '../../privacy/scan';
import { setUpPrivacy } from '../../privacy/setup';
import { openPostgresAnalytics } from '../../stores/postgres/analytics-store';
import { silentLogger } from '../../stores/silent-logger';
import type { CliOutput } from '../commands/flows';

const cliActor = { kind: 'system' as const, id: 'parley-cli' };

export function mapCommand(config: ParleyConfig, io: CliOutput): void {
  const hot = config.store.kind === 'memory' ? 'memory' : 'redis';
  io.out(renderDataMap(dataMapFor({ hot, postgres: Boolean(config.database) }), retentionTable(config)));
}

function redisUrls(config: ParleyConfig): string[] {
  if (config.store.kind === 'redis') return [config.store.url];
  if (config.store.kind === 'cluster') return config.store.nodes.map((n) => `redis://${n.host}:${n.port}`);
  return [];
}

async function withStores<T>(config: ParleyConfig, io: CliOutput, work: (stores: Stores) => Promise<T>) {
  if (config.store.kind === 'memory' && !config.database) {
    io.err(
      'REDIS_URL, REDIS_CLUSTER_NODES or DATABASE_URL must be set: in-memory data lives in the server process\n',
    );
    process.exitCode = 1;
    return undefined;
  }
  const stores = await createStores(config, { logger: silentLogger });
  try {
    return await work(stores);
  } finally {
    await stores.close();
  }
}

/**
 * The privacy service over the configured stores; with DATABASE_URL the analytics events (kept in
 * PostgreSQL) are exported and erased too. In-memory analytics live in the server process only.
 */
async function withService<T>(
  config: ParleyConfig,
  io: CliOutput,
  work: (privacy: ReturnType<typeof setUpPrivacy>['service']) => Promise<T>,
) {
  return withStores(config, io, async (stores) => {
    const clock = { now: () => Date.now() };
    const analytics = config.database
      ? await openPostgresAnalytics({
          databaseUrl: config.database.url,
          retentionMs: config.retention.analytics,
          questionRetentionMs: config.analytics.questionRetentionMs,
          sweepIntervalMs: 0,
        })
      : undefined;
    try {
      return await work(setUpPrivacy(config, stores, clock, analytics && { store: analytics }).service);
    } finally {
      await analytics?.close();
    }
  });
}

/** Exit code 1 when anything about the customer remains. */
export async function scanCommand(
  config: ParleyConfig,
  io: CliOutput,
  options: { customer: string; also: string[] },
): Promise<void> {
  await withStores(config, io, async (stores) => {
    const scope = await stores.identities.scope(options.customer);
    const needles = [
      options.customer,
      ...scope.conversationIds,
      ...scope.addresses.map((a) => a.userId),
      ...options.also,
    ];
    const report = await scanStores(needles, {
      redisUrls: redisUrls(config),
      ...(config.database ? { postgresUrl: config.database.url } : {}),
    });
    io.out(
      `Scanned ${report.keysScanned} Redis keys and ${report.rowsScanned} PostgreSQL rows for ${needles.length} ids.\n`,
    );
    for (const f of report.findings)
      io.out(`FOUND ${f.store} ${f.where} (${f.inKeyName ? 'key name' : 'value'}, id #${f.needle + 1})\n`);
    for (const where of report.withoutExpiry) io.out(`NO EXPIRY ${where}\n`);
    io.out(
      report.findings.length === 0
        ? 'Nothing about the customer remains.\n'
        : `${report.findings.length} places still hold the customer.\n`,
    );
    if (report.findings.length > 0) process.exitCode = 1;
  });
}

export async function exportCommand(
  config: ParleyConfig,
  io: CliOutput,
  options: { customer: string; html?: boolean },
): Promise<void> {
  await withService(config, io, async (privacy) => {
    const data = await privacy.exportCustomer(options.customer, {
      actor: cliActor,
      from: 'cli',
    });
    io.out(options.html ? renderExportHtml(data) : `${JSON.stringify(data, null, 2)}\n`);
  });
}

export async function eraseCommand(
  config: ParleyConfig,
  io: CliOutput,
  options: { customer: string },
): Promise<void> {
  await withService(config, io, async (privacy) => {
    const report = await privacy.eraseCustomer(options.customer, {
      actor: cliActor,
      from: 'cli',
    });
    io.out(`${JSON.stringify(report.erased)}\n`);
  });
}

/** Exit code 1 when a key or row has no expiry, or rows outlived their retention (the sweep is behind). */
export async function retentionCommand(config: ParleyConfig, io: CliOutput): Promise<void> {
  const targets = {
    redisUrls: redisUrls(config),
    ...(config.database ? { postgresUrl: config.database.url } : {}),
  };
  if (!targets.redisUrls.length && !targets.postgresUrl) {
    io.err(
      'REDIS_URL, REDIS_CLUSTER_NODES or DATABASE_URL must be set: in-memory data expires in the server process\n',
    );
    process.exitCode = 1;
    return;
  }
  const report = await scanRetention(targets, config.retention, Date.now());
  io.out(
    `Checked ${report.keysScanned} Redis keys${targets.postgresUrl ? ' and the PostgreSQL tables' : ''}.\n`,
  );
  for (const where of report.withoutExpiry) io.out(`NO EXPIRY ${where}\n`);
  for (const { table, rows } of report.overdue)
    io.out(`OVERDUE postgres ${table}: ${rows} rows past retention\n`);
  const problems = report.withoutExpiry.length + report.overdue.length;
  io.out(
    problems === 0
      ? 'Everything stored expires within its retention.\n'
      : `${problems} retention problems.\n`,
  );
  if (problems > 0) process.exitCode = 1;
}
