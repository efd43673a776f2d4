import { Client } from 'pg';
import { encodeId } from '../stores/redis/keys';
import { readAllKeys } from '../stores/redis/inspect';
import type { DataClass, RetentionPolicy } from '../core/retention';

/** One place a customer's id was still found. */
export interface ScanFinding {
  store: 'redis' | 'postgres';
  /** The Redis key, or `table` + row. */
  where: string;
  /** Which of the searched ids (by position in `needles`) matched, and whether in a key name. */
  needle: number;
  inKeyName: boolean;
}

export interface ScanReport {
  findings: ScanFinding[];
  /** Redis keys that never expire, and record tables with no expiry column. */
  withoutExpiry: string[];
  keysScanned: number;
  rowsScanned: number;
}

export interface ScanTargets {
  /** Every Redis server to read: one URL, or each master of a cluster. */
  redisUrls?: string[];
  postgresUrl?: string;
}

// How an id can appear: as given, URI-encoded in a key, JSON-escaped in a value.
function formsOf(id: string): string[] {
  return [...new Set([id, encodeId(id), JSON.stringify(id).slice(1, -1)])];
}

/**
 * Reads every key and value of every Redis server and every row of every Parley table, and reports each
 * place one of `needles` (a customer id, their conversation ids, their addresses) still appears, and
 * anything stored without an expiry. The proof an erasure is complete; slow by design, never on the
 * turn path.
 */
export async function scanStores(needles: readonly string[], targets: ScanTargets): Promise<ScanReport> {
  const forms = needles.map((n) => formsOf(n).filter((f) => f.length > 0));
  const match = (text: string): number => forms.findIndex((list) => list.some((f) => text.includes(f)));
  const report: ScanReport = { findings: [], withoutExpiry: [], keysScanned: 0, rowsScanned: 0 };
  for (const url of targets.redisUrls ?? []) {
    for (const stored of await readAllKeys(url)) {
      report.keysScanned += 1;
      if (stored.ttlMs < 0) report.withoutExpiry.push(`redis ${stored.key}`);
      const inKey = match(stored.key);
      const inValue = inKey >= 0 ? inKey : match(stored.values.join('\n'));
      if (inValue >= 0)
        report.findings.push({ store: 'redis', where: stored.key, needle: inValue, inKeyName: inKey >= 0 });
    }
  }
  if (targets.postgresUrl) await scanPostgres(targets.postgresUrl, match, report);
  return report;
}

async function scanPostgres(url: string, match: (text: string) => number, report: ScanReport): Promise<void> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    const tables = await parleyTables(client);
    for (const { table_name: table, expires } of tables) {
      // Lines and turn keys have no clock of their own: they go with their transcript head.
      if (!expires && !keptWithParent(table)) report.withoutExpiry.push(`postgres ${table}`);
      const rows = await client.query<{ row: string }>(`SELECT t::text AS row FROM "${table}" t`);
      rows.rows.forEach(({ row }, index) => {
        report.rowsScanned += 1;
        const needle = match(row);
        if (needle >= 0)
          report.findings.push({
            store: 'postgres',
            where: `${table} row ${index + 1}`,
            needle,
            inKeyName: false,
          });
      });
    }
  } finally {
    await client.end();
  }
}

/**
 * Tables without an expiry of their own by design: transcript lines and turn keys go with their transcript
 * head; the migrations table records the schema's version (no personal data).
 */
function keptWithParent(table: string): boolean {
  return table.startsWith('parley_transcript_') || table === 'parley_migrations';
}

/** Each table's data class, for the retention scan (tables not listed go with a parent row). */
const TABLE_CLASSES: Record<string, DataClass> = {
  parley_transcripts: 'transcripts',
  parley_cases: 'cases',
  parley_consent_records: 'consent',
  parley_audit_events: 'audit',
  parley_analytics_events: 'analytics',
  parley_unanswered_questions: 'unansweredQuestions',
};

export interface RetentionReport {
  /** Redis keys with no TTL, and tables with no expiry column. */
  withoutExpiry: string[];
  /** Rows past their class's retention that the sweep has not removed yet, per table. */
  overdue: Array<{ table: string; rows: number }>;
  keysScanned: number;
}

/**
 * Retention as it stands: every Redis key must carry a TTL, every Parley table a `written_at` the sweep
 * works from, and no row may be older than its class's retention (the sweep runs hourly; overdue rows
 * mean it is not running or not keeping up).
 */
export async function scanRetention(
  targets: ScanTargets,
  policy: RetentionPolicy,
  now: number,
): Promise<RetentionReport> {
  const report: RetentionReport = { withoutExpiry: [], overdue: [], keysScanned: 0 };
  for (const url of targets.redisUrls ?? []) {
    for (const stored of await readAllKeys(url)) {
      report.keysScanned += 1;
      if (stored.ttlMs < 0) report.withoutExpiry.push(`redis ${stored.key}`);
    }
  }
  if (!targets.postgresUrl) return report;
  const client = new Client({ connectionString: targets.postgresUrl });
  await client.connect();
  try {
    const tables = await parleyTables(client);
    for (const { table_name: table, expires } of tables) {
      const dataClass = TABLE_CLASSES[table];
      if (!expires) {
        if (!keptWithParent(table)) report.withoutExpiry.push(`postgres ${table}`);
        continue;
      }
      if (!dataClass) continue;
      const cutoff = new Date(now - policy[dataClass]);
      const old = await client.query<{ n: string }>(
        `SELECT count(*) AS n FROM "${table}" WHERE written_at IS NULL OR written_at <= $1`,
        [cutoff],
      );
      const rows = Number(old.rows[0]?.n ?? 0);
      if (rows > 0) report.overdue.push({ table, rows });
    }
  } finally {
    await client.end();
  }
  return report;
}

/** Parley's tables, and whether each has the `written_at` column its retention sweep goes by. */
async function parleyTables(client: Client): Promise<{ table_name: string; expires: boolean }[]> {
  const result = await client.query<{ table_name: string; expires: boolean }>(
    `SELECT table_name, bool_or(column_name = 'written_at') AS expires
     FROM information_schema.columns
     WHERE table_schema = current_schema() AND table_name LIKE 'parley\\_%'
     GROUP BY table_name ORDER BY table_name`,
  );
  return result.rows;
}
