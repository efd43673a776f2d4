import type { Pool } from 'pg';
import type { JsonObject } from '../../core/json';
import type { ChannelName } from '../../core/message';
import type { Clock } from '../../core/ports';
import { checkKey } from './pool';

/** A customer's yes or no to one purpose (e.g. `transcript_storage`, `marketing`), as they gave it. */
export interface ConsentRecord {
  customerId: string;
  purpose: string;
  granted: boolean;
  /** Epoch milliseconds. */
  at: number;
  channel?: ChannelName;
  /** How it was given: a flow's question, the agent desk, an import. */
  source?: string;
}

/** Who did what to what: sign-ins, claims, exports, erasures. */
export interface AuditEvent {
  at: number;
  actor: string;
  action: string;
  /** What the action was on: a case id, a customer id, an agent's username. */
  subject: string;
  data?: JsonObject;
}

/** A product metric's raw event: an intent matched, a fallback, a handoff, a satisfaction score. */
export interface AnalyticsEvent {
  at: number;
  name: string;
  conversationId: string;
  data?: JsonObject;
}

/** An append-only log of one kind of record, read back per subject in the order it was written. */
export class PostgresRecordLog<T> {
  constructor(
    private readonly pool: Pool,
    private readonly table: 'parley_consent_records' | 'parley_audit_events' | 'parley_analytics_events',
    private readonly subjectOf: (record: T) => string,
    private readonly retentionMs: number,
    private readonly clock: Clock,
  ) {}

  async append(record: T): Promise<void> {
    const subject = checkKey('record subject', this.subjectOf(record));
    await this.pool.query(`INSERT INTO ${this.table} (subject, record, written_at) VALUES ($1, $2, $3)`, [
      subject,
      JSON.stringify(record),
      new Date(this.clock.now()),
    ]);
  }

  /** Deletes every record about these subjects (erasure); resolves how many rows went. */
  async eraseSubjects(subjects: readonly string[]): Promise<number> {
    const result = await this.pool.query(`DELETE FROM ${this.table} WHERE subject = ANY($1)`, [
      [...subjects],
    ]);
    return result.rowCount ?? 0;
  }

  /** The subject's records still within retention, oldest first; `limit` keeps the newest ones. */
  async list(subject: string, options: { limit?: number } = {}): Promise<T[]> {
    checkKey('record subject', subject);
    const { limit } = options;
    if (limit !== undefined && (!Number.isInteger(limit) || limit < 0)) {
      throw new RangeError(`limit must be a non-negative integer, got ${limit}`);
    }
    const result = await this.pool.query<{ record: T }>(
      `SELECT record FROM (
         SELECT id, record FROM ${this.table} WHERE subject = $1 AND written_at > $2 ORDER BY id DESC LIMIT $3
       ) newest ORDER BY id`,
      [subject, new Date(this.clock.now() - this.retentionMs), limit ?? null],
    );
    return result.rows.map((row) => row.record);
  }
}

export interface DurableRecordLogs {
  /** By customer. */
  consent: PostgresRecordLog<ConsentRecord>;
  /** By subject. */
  audit: PostgresRecordLog<AuditEvent>;
  /** By conversation. */
  analytics: PostgresRecordLog<AnalyticsEvent>;
}

export function createRecordLogs(pool: Pool, retentionMs: number, clock: Clock): DurableRecordLogs {
  return {
    consent: new PostgresRecordLog<ConsentRecord>(
      pool,
      'parley_consent_records',
      (r) => r.customerId,
      retentionMs,
      clock,
    ),
    audit: new PostgresRecordLog<AuditEvent>(
      pool,
      'parley_audit_events',
      (r) => r.subject,
      retentionMs,
      clock,
    ),
    analytics: new PostgresRecordLog<AnalyticsEvent>(
      pool,
      'parley_analytics_events',
      (r) => r.conversationId,
      retentionMs,
      clock,
    ),
  };
}
