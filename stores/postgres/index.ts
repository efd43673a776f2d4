import { systemClock } from '../../core/defaults';
import type { CaseStore, Clock, Logger, Stores, TurnCommit, TurnCommitter } from '../../core/ports';
import { silentLogger } from '../silent-logger';
import { PostgresCaseStore } from './case-store';
import { migrateDatabase } from './migrate';
import { isPostgresOutage, openPool, type PostgresConnectionOptions } from './pool';
import { guardStore } from '../../core/store-unavailable';
import { createRecordLogs, type DurableRecordLogs } from './records';
import { scheduleSweep, sweepExpired, type SweptTable } from './retention';
import { PostgresTranscriptStore } from './transcript-store';
import { PostgresAuditTrail, PostgresConsentLedger } from './privacy-records';
import type { AuditTrail, ConsentLedger } from '../../core/privacy';
import { AUDIT_RETENTION_MS, CONSENT_RETENTION_MS } from '../retention-defaults';
import type { RetentionPolicy } from '../../core/retention';

export { migrateDatabase, MIGRATIONS_DIR } from './migrate';
export type { AnalyticsEvent, AuditEvent, ConsentRecord, DurableRecordLogs } from './records';

export interface PostgresRecordsOptions extends PostgresConnectionOptions {
  /** How long a record stays after its last write. */
  retentionMs: number;
  /** Apply pending migrations before opening (idempotent). Default true. */
  migrate?: boolean;
  /** How long consent records stay after they were written. Default 3 years. */
  consentRetentionMs?: number;
  /** How long audit entries stay. Default 1 year. */
  auditRetentionMs?: number;
  /** Periods of their own for transcripts, cases, consent, audit and analytics; the rest follow `retentionMs`. */
  retention?: Partial<RetentionPolicy>;
  /** How often expired rows are deleted; 0 turns the timer off (call `sweep()` yourself). Default 1 hour. */
  sweepIntervalMs?: number;
  clock?: Clock;
  logger?: Logger;
}

/** The durable records of a Parley deployment, in PostgreSQL. */
export interface PostgresRecords extends DurableRecordLogs {
  transcripts: PostgresTranscriptStore;
  cases: CaseStore;
  /** Consent per purpose and the audit trail, each with its own retention. */
  consentLedger: ConsentLedger;
  auditTrail: AuditTrail;
  /** Deletes everything past retention now; returns the rows deleted per table. */
  sweep(): Promise<Record<SweptTable, number>>;
  ping(): Promise<void>;
  close(): Promise<void>;
}

/**
 * Opens the durable record stores on one database, after migrating it.
 *
 * @example
 * const records = await openPostgresRecords({ databaseUrl, retentionMs: 30 * 86_400_000 });
 * const stores = withDurableRecords(await createRedisStores({ url, retentionMs }), records);
 */
export async function openPostgresRecords(options: PostgresRecordsOptions): Promise<PostgresRecords> {
  const { retentionMs, migrate = true, sweepIntervalMs = 3_600_000 } = options;
  const clock = options.clock ?? systemClock;
  const logger = options.logger ?? silentLogger;
  if (!(retentionMs > 0)) throw new RangeError(`retentionMs must be positive, got ${retentionMs}`);
  if (!(sweepIntervalMs >= 0)) throw new RangeError(`sweepIntervalMs must be >= 0, got ${sweepIntervalMs}`);
  if (migrate) await migrateDatabase({ databaseUrl: options.databaseUrl, logger });
  const pool = await openPool(options, logger);
  const consentRetentionMs = options.retention?.consent ?? options.consentRetentionMs ?? CONSENT_RETENTION_MS;
  const auditRetentionMs = options.retention?.audit ?? options.auditRetentionMs ?? AUDIT_RETENTION_MS;
  const periods = tablePeriods(options.retention ?? {}, retentionMs, consentRetentionMs, auditRetentionMs);
  const sweep = () => sweepExpired(pool, retentionMs, clock, periods);
  const stopSweeping = sweepIntervalMs > 0 ? scheduleSweep(sweep, sweepIntervalMs, logger) : undefined;
  let closing: Promise<void> | undefined;
  // An unreachable database rejects with StoreUnavailableError, which connectors answer with "try again".
  const guard = <T extends object>(store: T): T => guardStore(store, 'postgres', isPostgresOutage);
  const logs = createRecordLogs(pool, retentionMs, clock);
  return {
    transcripts: guard(new PostgresTranscriptStore(pool, periods.parley_transcripts, clock)),
    cases: guard(new PostgresCaseStore(pool, periods.parley_cases, clock)),
    consent: guard(logs.consent),
    audit: guard(logs.audit),
    analytics: guard(logs.analytics),
    consentLedger: guard(new PostgresConsentLedger(pool, consentRetentionMs, clock)),
    auditTrail: guard(new PostgresAuditTrail(pool, auditRetentionMs, clock)),
    sweep,
    async ping() {
      await pool.query('SELECT 1');
    },
    close() {
      closing ??= (async () => {
        await stopSweeping?.();
        await pool.end();
      })();
      return closing;
    },
  };
}

/** Each swept table's retention: its data class's period. */
export function tablePeriods(
  retention: Partial<RetentionPolicy>,
  retentionMs: number,
  consentMs: number,
  auditMs: number,
): Record<SweptTable, number> {
  return {
    parley_transcripts: retention.transcripts ?? retentionMs,
    parley_cases: retention.cases ?? retentionMs,
    parley_consent_records: consentMs,
    parley_audit_events: auditMs,
    parley_analytics_events: retention.analytics ?? retentionMs,
  };
}

/**
 * Opens the durable records (migrating first) and composes them with `hot`; closes `hot` when PostgreSQL
 * cannot be opened, so a failed start-up leaks no connection.
 */
export async function addPostgresRecords(hot: Stores, options: PostgresRecordsOptions): Promise<Stores> {
  try {
    return withDurableRecords(hot, await openPostgresRecords(options));
  } catch (error) {
    await hot.close();
    throw error;
  }
}

/**
 * A turn's commit across two stores, which no single transaction spans: the lines go to PostgreSQL first,
 * keyed by the message they answer (so a retry cannot write them twice), then the state, dedupe record and
 * lock release go to the hot store in its own atomic step. A crash between the two leaves the lines without
 * the dedupe record: the retry runs the turn again from the unchanged state and writes no line twice.
 * Failed turns and out-of-turn input carry no message key; their lines are appended as they come.
 */
export function durableCommitter(
  records: Pick<PostgresRecords, 'transcripts'>,
  hot: TurnCommitter,
): TurnCommitter {
  return {
    async commit(turn: TurnCommit): Promise<void> {
      await records.transcripts.appendTurn(turn.conversationId, turn.processed?.messageId, turn.entries);
      await hot.commit({ ...turn, entries: [] });
    },
  };
}

/**
 * Hot state (conversations, turn queue, dedupe, bus) from `hot`; transcripts, cases, consent and the audit
 * trail from PostgreSQL.
 * `ping` answers only when both answer; `close` closes both.
 */
export function withDurableRecords(hot: Stores, records: PostgresRecords): Stores {
  return {
    ...hot,
    transcripts: records.transcripts,
    commits: durableCommitter(records, hot.commits),
    cases: records.cases,
    consent: records.consentLedger,
    audit: records.auditTrail,
    async ping() {
      await Promise.all([hot.ping(), records.ping()]);
    },
    // An in-memory hot store has no probe of its own: it cannot be down while this process is up.
    probes: { ...hot.probes, postgres: () => records.ping() },
    async close() {
      await Promise.all([hot.close(), records.close()]);
    },
  };
}
