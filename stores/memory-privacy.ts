import { copyAsJson } from '../core/json';
import type { CustomerScope } from '../core/ports';
import type { AuditEvent, AuditTrail, ConsentLedger, ConsentRecord } from '../core/privacy';
import type { Clock } from '../core/ports';
import { ExpiringMap } from './expiring-map';

const copy = copyAsJson;

/** Consent histories in process memory; a customer's history expires `retentionMs` after its last record. */
export class MemoryConsentLedger implements ConsentLedger {
  private readonly histories: ExpiringMap<ConsentRecord[]>;

  constructor(retentionMs: number, clock: Clock) {
    this.histories = new ExpiringMap<ConsentRecord[]>(retentionMs, clock);
  }

  async record(consent: ConsentRecord): Promise<void> {
    const history = this.histories.get(consent.customerId) ?? [];
    this.histories.set(consent.customerId, [...history, copy(consent)]);
  }

  async history(customerId: string): Promise<ConsentRecord[]> {
    return copy(this.histories.get(customerId) ?? []);
  }

  async listByCustomer(scope: CustomerScope): Promise<ConsentRecord[]> {
    return this.history(scope.customerId);
  }

  async eraseByCustomer(scope: CustomerScope): Promise<number> {
    const erased = this.histories.has(scope.customerId) ? 1 : 0;
    this.histories.delete(scope.customerId);
    return erased;
  }

  clear(): void {
    this.histories.clear();
  }
}

/** The audit trail in process memory: appended in order, dropped `retentionMs` after each entry's time. */
export class MemoryAuditTrail implements AuditTrail {
  private events: AuditEvent[] = [];

  constructor(
    private readonly retentionMs: number,
    private readonly clock: Clock,
  ) {}

  async append(event: AuditEvent): Promise<void> {
    this.expire();
    this.events.push(copy(event));
  }

  async list(filter: { customerRef?: string; since?: number } = {}): Promise<AuditEvent[]> {
    this.expire();
    return copy(
      this.events.filter(
        (e) =>
          (filter.customerRef === undefined || e.customerRef === filter.customerRef) &&
          (filter.since === undefined || e.at >= filter.since),
      ),
    );
  }

  clear(): void {
    this.events = [];
  }

  private expire(): void {
    const cutoff = this.clock.now() - this.retentionMs;
    if (this.events.length > 0 && this.events[0]!.at <= cutoff)
      this.events = this.events.filter((e) => e.at > cutoff);
  }
}
