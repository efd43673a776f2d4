import type { Pool } from 'pg';
import type { Clock, CustomerScope } from '../../core/ports';
import type { AuditEvent, AuditTrail, ConsentLedger, ConsentRecord } from '../../core/privacy';
import { PostgresRecordLog } from './records';

/** Consent records in `parley_consent_records`, by customer, with the consent retention. */
export class PostgresConsentLedger implements ConsentLedger {
  private readonly log: PostgresRecordLog<ConsentRecord>;

  constructor(pool: Pool, retentionMs: number, clock: Clock) {
    this.log = new PostgresRecordLog<ConsentRecord>(
      pool,
      'parley_consent_records',
      (r) => r.customerId,
      retentionMs,
      clock,
    );
  }

  record(consent: ConsentRecord): Promise<void> {
    return this.log.append(consent);
  }

  history(customerId: string): Promise<ConsentRecord[]> {
    return this.log.list(customerId);
  }

  listByCustomer(scope: CustomerScope): Promise<ConsentRecord[]> {
    return this.history(scope.customerId);
  }

  eraseByCustomer(scope: CustomerScope): Promise<number> {
    return this.log.eraseSubjects([scope.customerId]);
  }
}

/**
 * The audit trail in `parley_audit_events`, by customer pseudonym, with the audit retention. Only ever
 * inserted into; the sweep removes entries past retention.
 */
export class PostgresAuditTrail implements AuditTrail {
  private readonly log: PostgresRecordLog<AuditEvent>;

  constructor(
    private readonly pool: Pool,
    private readonly retentionMs: number,
    private readonly clock: Clock,
  ) {
    this.log = new PostgresRecordLog<AuditEvent>(
      pool,
      'parley_audit_events',
      (e) => e.customerRef,
      retentionMs,
      clock,
    );
  }

  append(event: AuditEvent): Promise<void> {
    return this.log.append(event);
  }

  async list(filter: { customerRef?: string; since?: number } = {}): Promise<AuditEvent[]> {
    const result = await this.pool.query<{ record: AuditEvent }>(
      `SELECT record FROM parley_audit_events
       WHERE written_at > $1 AND ($2::text IS NULL OR subject = $2) ORDER BY id`,
      [new Date(this.clock.now() - this.retentionMs), filter.customerRef ?? null],
    );
    const events = result.rows.map((row) => row.record);
    return filter.since === undefined ? events : events.filter((e) => e.at >= (filter.since ?? 0));
  }
}
