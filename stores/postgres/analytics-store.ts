import type { Pool } from 'pg';
import type {
  AnalyticsEvent,
  AnalyticsStore,
  CustomerAnalytics,
  UnansweredQuestion,
} from '../../core/analytics';
import type { Clock, CustomerScope, Logger } from '../../core/ports';
import { systemClock } from '../../core/defaults';
import { silentLogger } from '../silent-logger';
import type { AnalyticsRetention } from '../memory-analytics';
import { openPool, type PostgresConnectionOptions } from './pool';
import { scheduleSweep } from './retention';

export interface PostgresAnalyticsOptions extends PostgresConnectionOptions, AnalyticsRetention {
  /** How often expired unanswered questions are deleted; 0 turns the timer off. Default 1 hour. */
  sweepIntervalMs?: number;
  clock?: Clock;
  logger?: Logger;
}

/**
 * Analytics in PostgreSQL: events in `parley_analytics_events` (the durable records' table, one row per
 * event, by conversation; the records' sweep expires them with everything else) and question texts in
 * `parley_unanswered_questions` with their own, shorter retention, swept here. Expects a migrated database.
 */
export class PostgresAnalyticsStore implements AnalyticsStore {
  constructor(
    private readonly pool: Pool,
    private readonly retention: AnalyticsRetention,
    private readonly clock: Clock = systemClock,
    private readonly stop: () => Promise<void> = async () => {},
  ) {}

  async record(events: readonly AnalyticsEvent[]): Promise<void> {
    if (events.length === 0) return;
    const writtenAt = new Date(this.clock.now());
    const values = events.map((_, i) => `($${i * 2 + 1}, $${i * 2 + 2}, $${events.length * 2 + 1})`);
    const params = events.flatMap((event) => [event.conversationId, JSON.stringify(event)]);
    await this.pool.query(
      `INSERT INTO parley_analytics_events (subject, record, written_at) VALUES ${values.join(', ')}`,
      [...params, writtenAt],
    );
  }

  async read(range: { from: number; to: number }): Promise<AnalyticsEvent[]> {
    const result = await this.pool.query<{ record: AnalyticsEvent }>(
      `SELECT record FROM parley_analytics_events
        WHERE (record ->> 'at')::bigint >= $1 AND (record ->> 'at')::bigint < $2 AND written_at > $3
        ORDER BY (record ->> 'at')::bigint, id`,
      [range.from, range.to, this.cutoff(this.retention.retentionMs)],
    );
    return result.rows.map((row) => row.record);
  }

  async recordQuestion(question: UnansweredQuestion): Promise<void> {
    await this.pool.query(
      `INSERT INTO parley_unanswered_questions (conversation_id, at, record, written_at) VALUES ($1, $2, $3, $4)`,
      [question.conversationId, question.at, JSON.stringify(question), new Date(this.clock.now())],
    );
  }

  async readQuestions(range: { from: number; to: number }): Promise<UnansweredQuestion[]> {
    const result = await this.pool.query<{ record: UnansweredQuestion }>(
      `SELECT record FROM parley_unanswered_questions
        WHERE at >= $1 AND at < $2 AND written_at > $3 ORDER BY at, id`,
      [range.from, range.to, this.cutoff(this.retention.questionRetentionMs)],
    );
    return result.rows.map((row) => row.record);
  }

  /** Deletes questions past their retention now; returns how many. */
  async sweepQuestions(): Promise<number> {
    const result = await this.pool.query(`DELETE FROM parley_unanswered_questions WHERE written_at <= $1`, [
      this.cutoff(this.retention.questionRetentionMs),
    ]);
    return result.rowCount ?? 0;
  }

  /** The customer's live events (by their id or a conversation of theirs) and their questions. */
  async listByCustomer(scope: CustomerScope): Promise<CustomerAnalytics[]> {
    const events = await this.pool.query<{ record: AnalyticsEvent }>(
      `SELECT record FROM parley_analytics_events
        WHERE (subject = ANY($1) OR record ->> 'customerId' = $2) AND written_at > $3
        ORDER BY (record ->> 'at')::bigint, id`,
      [scope.conversationIds, scope.customerId, this.cutoff(this.retention.retentionMs)],
    );
    const questions = await this.pool.query<{ record: UnansweredQuestion }>(
      `SELECT record FROM parley_unanswered_questions
        WHERE conversation_id = ANY($1) AND written_at > $2 ORDER BY at, id`,
      [scope.conversationIds, this.cutoff(this.retention.questionRetentionMs)],
    );
    return [
      ...events.rows.map((row) => row.record),
      ...questions.rows.map((row) => ({ unansweredQuestion: row.record })),
    ];
  }

  /** Deletes every row about the customer, expired or not; resolves how many rows went. */
  async eraseByCustomer(scope: CustomerScope): Promise<number> {
    const events = await this.pool.query(
      `DELETE FROM parley_analytics_events WHERE subject = ANY($1) OR record ->> 'customerId' = $2`,
      [scope.conversationIds, scope.customerId],
    );
    const questions = await this.pool.query(
      `DELETE FROM parley_unanswered_questions WHERE conversation_id = ANY($1)`,
      [scope.conversationIds],
    );
    return (events.rowCount ?? 0) + (questions.rowCount ?? 0);
  }

  async close(): Promise<void> {
    await this.stop();
    await this.pool.end();
  }

  private cutoff(ttlMs: number): Date {
    return new Date(this.clock.now() - ttlMs);
  }
}

/** Opens its own small pool on an already migrated database and sweeps old questions hourly. */
export async function openPostgresAnalytics(
  options: PostgresAnalyticsOptions,
): Promise<PostgresAnalyticsStore> {
  const logger = options.logger ?? silentLogger;
  const pool = await openPool({ maxConnections: 3, ...options }, logger);
  const { retentionMs, questionRetentionMs, sweepIntervalMs = 3_600_000 } = options;
  const holder: { store?: PostgresAnalyticsStore } = {};
  const sweep = async () => ({ parley_unanswered_questions: (await holder.store?.sweepQuestions()) ?? 0 });
  const stop = sweepIntervalMs > 0 ? scheduleSweep(sweep, sweepIntervalMs, logger) : async () => {};
  holder.store = new PostgresAnalyticsStore(pool, { retentionMs, questionRetentionMs }, options.clock, stop);
  return holder.store;
}
