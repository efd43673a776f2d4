import type { Pool } from 'pg';
import type { Clock, Logger } from '../../core/ports';

// Every table with a `written_at`. Transcript lines go with their head (ON DELETE CASCADE).
const SWEPT_TABLES = [
  'parley_transcripts',
  'parley_cases',
  'parley_consent_records',
  'parley_audit_events',
  'parley_analytics_events',
] as const;

export type SweptTable = (typeof SWEPT_TABLES)[number];

/**
 * Deletes every record written `retentionMs` (or the table's override) or longer ago (PostgreSQL has no TTL). Returns how many rows
 * each table lost. Reads already hide such rows; this frees the space.
 */
export async function sweepExpired(
  pool: Pool,
  retentionMs: number,
  clock: Clock,
  /** Tables kept for a period of their own (consent, audit). */
  overrides: Partial<Record<SweptTable, number>> = {},
): Promise<Record<SweptTable, number>> {
  const deleted = {} as Record<SweptTable, number>;
  for (const table of SWEPT_TABLES) {
    const cutoff = new Date(clock.now() - (overrides[table] ?? retentionMs));
    const result = await pool.query(`DELETE FROM ${table} WHERE written_at <= $1`, [cutoff]);
    deleted[table] = result.rowCount ?? 0;
  }
  return deleted;
}

/** Runs `sweep` every `intervalMs` until the returned function is called; failures are logged, not thrown. */
export function scheduleSweep(
  sweep: () => Promise<unknown>,
  intervalMs: number,
  logger: Logger,
): () => Promise<void> {
  let running: Promise<void> | undefined;
  const timer = setInterval(() => {
    if (running) return; // a slow sweep is not stacked on by the next tick
    running = sweep()
      .then((deleted) => logger.debug({ deleted }, 'expired records swept'))
      .catch((error: unknown) => logger.error({ err: error }, 'retention sweep failed'))
      .finally(() => {
        running = undefined;
      });
  }, intervalMs);
  timer.unref();
  return async () => {
    clearInterval(timer);
    await running;
  };
}
