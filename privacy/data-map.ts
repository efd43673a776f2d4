import type { DataClass, StoredData } from '../core/data-map';
import type { RetentionPolicy } from '../core/retention';
import { MEMORY_DATA_MAP } from '../stores/memory-data-map';
import { POSTGRES_DATA_MAP } from '../stores/postgres/data-map';
import { REDIS_DATA_MAP } from '../stores/redis/data-map';
import { AUDIT_RETENTION_MS, CONSENT_RETENTION_MS } from '../stores/retention-defaults';

const DAY_MS = 86_400_000;

/** Every store module's declarations, for the stores a deployment uses. */
export function dataMapFor(stores: { hot: 'memory' | 'redis'; postgres: boolean }): StoredData[] {
  const hot = stores.hot === 'memory' ? MEMORY_DATA_MAP : REDIS_DATA_MAP;
  if (!stores.postgres) return [...hot];
  return [...hot.filter((e) => !e.durableWithPostgres), ...POSTGRES_DATA_MAP];
}

/** Retention per data class as configured (`config.retention`), or the defaults around one period. */
export function retentionTable(periods: {
  retentionMs: number;
  consentRetentionMs?: number;
  auditRetentionMs?: number;
  retention?: RetentionPolicy;
}): RetentionPolicy {
  if (periods.retention) return periods.retention;
  const { retentionMs } = periods;
  return {
    state: retentionMs,
    identities: retentionMs,
    dedupe: retentionMs,
    connectorValues: retentionMs,
    transcripts: retentionMs,
    cases: retentionMs,
    consent: periods.consentRetentionMs ?? CONSENT_RETENTION_MS,
    audit: periods.auditRetentionMs ?? AUDIT_RETENTION_MS,
    analytics: retentionMs,
    unansweredQuestions: retentionMs,
  };
}

// A `|` inside a cell would end it.
const cell = (text: string): string => text.replaceAll('|', '\\|');

/** The data map as Markdown: what, where, for how long and why. */
export function renderDataMap(entries: readonly StoredData[], retention: Record<DataClass, number>): string {
  const days = (ms: number) => `${Math.round(ms / DAY_MS)} days`;
  const rows = entries.map(
    (e) =>
      `| ${e.store} | ${cell(e.what)} | \`${cell(e.where)}\` | ${e.class} | ${days(retention[e.class])} (${e.expiry}) | ${e.why} | ${e.personal ? 'yes' : 'no'} |`,
  );
  return [
    '| Store | What | Where | Class | How long | Why | Personal |',
    '| --- | --- | --- | --- | --- | --- | --- |',
    ...rows,
    '',
  ].join('\n');
}
