import type { Clock, CustomerScope } from '../../core/ports';
import type { AuditEvent, AuditTrail, ConsentLedger, ConsentRecord } from '../../core/privacy';
import type { RedisClient } from './client';
import type { RedisKeys } from './keys';

const DAY_MS = 86_400_000;

/** Consent histories as one list per customer, in the customer's slot; retention refreshed per record. */
export class RedisConsentLedger implements ConsentLedger {
  constructor(
    private readonly client: RedisClient,
    private readonly keys: RedisKeys,
    private readonly retentionMs: number,
  ) {}

  async record(consent: ConsentRecord): Promise<void> {
    const key = this.keys.customer(consent.customerId).consent;
    // One key, one slot: the record and the refreshed retention land together.
    await this.client.multi().rpush(key, JSON.stringify(consent)).pexpire(key, this.retentionMs).exec();
  }

  async history(customerId: string): Promise<ConsentRecord[]> {
    const items = await this.client.lrange(this.keys.customer(customerId).consent, 0, -1);
    return items.map((item) => JSON.parse(item) as ConsentRecord);
  }

  listByCustomer(scope: CustomerScope): Promise<ConsentRecord[]> {
    return this.history(scope.customerId);
  }

  async eraseByCustomer(scope: CustomerScope): Promise<number> {
    return this.client.del(this.keys.customer(scope.customerId).consent);
  }
}

/**
 * The audit trail as one list per UTC day, all in the `{audit}` slot; each day's list expires
 * `retentionMs` after the day ends, so an entry lives at least its retention and at most a day more.
 * Nothing here updates or removes an entry.
 */
export class RedisAuditTrail implements AuditTrail {
  constructor(
    private readonly client: RedisClient,
    private readonly keys: RedisKeys,
    private readonly retentionMs: number,
    private readonly clock: Clock,
  ) {}

  async append(event: AuditEvent): Promise<void> {
    const dayStart = Math.floor(event.at / DAY_MS) * DAY_MS;
    const key = this.keys.auditDay(dayOf(event.at));
    await this.client
      .multi()
      .rpush(key, JSON.stringify(event))
      .pexpireat(key, dayStart + DAY_MS + this.retentionMs)
      .exec();
  }

  async list(filter: { customerRef?: string; since?: number } = {}): Promise<AuditEvent[]> {
    const now = this.clock.now();
    const from = Math.max(filter.since ?? 0, now - this.retentionMs - DAY_MS);
    const days: string[] = [];
    for (let at = Math.floor(from / DAY_MS) * DAY_MS; at <= now; at += DAY_MS) days.push(dayOf(at));
    const lists = await Promise.all(days.map((day) => this.client.lrange(this.keys.auditDay(day), 0, -1)));
    return lists
      .flat()
      .map((item) => JSON.parse(item) as AuditEvent)
      .filter(
        (e) =>
          (filter.customerRef === undefined || e.customerRef === filter.customerRef) &&
          (filter.since === undefined || e.at >= filter.since),
      );
  }
}

const dayOf = (at: number): string => new Date(at).toISOString().slice(0, 10);
