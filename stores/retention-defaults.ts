const DAY_MS = 86_400_000;

/** Consent evidence outlives the conversations it governs: three years after the customer's last answer. */
export const CONSENT_RETENTION_MS = 3 * 365 * DAY_MS;

/** The audit trail's own period: one year per entry. */
export const AUDIT_RETENTION_MS = 365 * DAY_MS;

/**
 * How long a message's dedupe record (the replies a retry of it gets) is kept: channels retry for
 * minutes to hours, so a day covers them all without keeping a record per message for the whole retention.
 */
export const DEFAULT_DEDUPE_RETENTION_MS = DAY_MS;

/** The dedupe period in force: the one asked for (default a day), never longer than the retention. */
export function dedupeRetention(retentionMs: number, asked = DEFAULT_DEDUPE_RETENTION_MS): number {
  if (!(asked > 0)) throw new RangeError(`dedupeRetentionMs must be positive, got ${asked}`);
  return Math.min(asked, retentionMs);
}
