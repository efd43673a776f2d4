const DAY_MS = 86_400_000;

/** Consent evidence outlives the conversations it governs: three years after the customer's last answer. */
export const CONSENT_RETENTION_MS = 3 * 365 * DAY_MS;

/** The audit trail's own period: one year per entry. */
export const AUDIT_RETENTION_MS = 365 * DAY_MS;
