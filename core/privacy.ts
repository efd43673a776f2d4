import type { Case } from './case';
import type { JsonObject } from './json';
import type { ChannelName } from './message';
import type { CustomerData, CustomerScope } from './ports';

/** What a customer can say yes or no to, one purpose at a time. */
export const CONSENT_PURPOSES = ['transcript_storage', 'personalisation', 'analytics', 'marketing'] as const;
export type ConsentPurpose = (typeof CONSENT_PURPOSES)[number];

/** A customer's yes or no to one purpose, as they gave it: when, where, to which wording, in which language. */
export interface ConsentRecord {
  customerId: string;
  purpose: ConsentPurpose;
  granted: boolean;
  /** Epoch milliseconds. */
  at: number;
  channel?: ChannelName;
  locale?: string;
  /** The version of the question's wording the customer answered (e.g. `analytics.v1`). */
  wordingVersion: string;
  /** How it was given: `conversation`, `desk`, `import`. */
  source?: string;
}

/**
 * Consent records per customer, append-only: the latest record for a purpose is the customer's current
 * answer, and the history stays as evidence (GDPR Art. 7(1)) until its retention ends or the customer is
 * erased.
 */
export interface ConsentLedger extends CustomerData<ConsentRecord> {
  record(consent: ConsentRecord): Promise<void>;
  /** Every record of the customer, oldest first. */
  history(customerId: string): Promise<ConsentRecord[]>;
}

/** The customer's current answer for `purpose`: the latest record, or undefined when never asked. */
export async function currentConsent(
  ledger: Pick<ConsentLedger, 'history'>,
  customerId: string,
  purpose: ConsentPurpose,
): Promise<ConsentRecord | undefined> {
  const history = await ledger.history(customerId);
  return history.filter((r) => r.purpose === purpose).at(-1);
}

/** Thrown by `requireConsent` when a processing step's purpose has no current yes. */
export class ConsentRequiredError extends Error {
  constructor(
    readonly customerId: string,
    readonly purpose: ConsentPurpose,
  ) {
    super(`no consent for ${purpose}`);
    this.name = 'ConsentRequiredError';
  }
}

/**
 * The check a processing step makes before it uses a customer's data for `purpose`: resolves when the
 * customer's latest answer is yes, throws `ConsentRequiredError` otherwise (never asked, or withdrawn).
 *
 * @example
 * await requireConsent(stores.consent, customerId, 'analytics');
 * await analytics.record(event);
 */
export async function requireConsent(
  ledger: Pick<ConsentLedger, 'history'>,
  customerId: string,
  purpose: ConsentPurpose,
): Promise<void> {
  const current = await currentConsent(ledger, customerId, purpose);
  if (!current?.granted) throw new ConsentRequiredError(customerId, purpose);
}

/** Who did something with personal data. */
export interface AuditActor {
  kind: 'agent' | 'customer' | 'system';
  id: string;
}

export const AUDIT_ACTIONS = ['read', 'export', 'erase', 'consent'] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

/**
 * One line of the audit trail: who read, exported or erased what, when, from where. The customer is
 * named by a digest of their id (`customerRef`), so the trail survives their erasure without keeping the
 * id itself, and can still be found for them while they exist.
 */
export interface AuditEvent {
  at: number;
  actor: AuditActor;
  action: AuditAction;
  /** What was acted on: `case:<id>`, `customer`, `transcript:<conversation>`. */
  target: string;
  /** `customerRef(customerId)` of the customer the data is about. */
  customerRef: string;
  /** Where from: a client address, a channel. */
  from?: string;
  data?: JsonObject;
}

/** The append-only audit trail. No update, no delete: entries leave only when their retention ends. */
export interface AuditTrail {
  append(event: AuditEvent): Promise<void>;
  /** Entries about one customer (by `customerRef`), or all entries, oldest first, within retention. */
  list(filter?: { customerRef?: string; since?: number }): Promise<AuditEvent[]>;
}

/** Placeholder for ids and text removed by erasure. */
export const ERASED = '[erased]';

/**
 * What is left of a case after its customer is erased: id, queue, priority, status, reason and times, so
 * queue statistics still add up; no transcript, identity, summary or conversation id.
 */
export function tombstoneOf(item: Case, erasedAt: number): Case {
  return {
    id: item.id,
    conversationId: ERASED,
    customerId: ERASED,
    channels: [],
    queue: item.queue,
    priority: item.priority,
    status: item.status === 'assigned' || item.status === 'queued' ? 'closed' : item.status,
    createdAt: item.createdAt,
    updatedAt: erasedAt,
    erasedAt,
    package: {
      version: 1,
      reason: item.package.reason,
      summary: { slots: {}, tried: [] },
      customer: { id: ERASED, identities: [] },
      transcript: [],
    },
  };
}

/** Whether a case is about the customer in `scope` (and not already a tombstone). */
export function caseInScope(item: Case, scope: CustomerScope): boolean {
  return item.customerId === scope.customerId || scope.conversationIds.includes(item.conversationId);
}

/**
 * Whether a connector's key names one of the scope's ids as a `:`-separated segment (or is one):
 * `twilio:conversation:<id>`, `opt-out:<phone>`.
 */
export function keyMentions(key: string, scope: CustomerScope): boolean {
  const ids = new Set([scope.customerId, ...scope.conversationIds, ...scope.addresses.map((a) => a.userId)]);
  if (ids.has(key)) return true;
  const segments = key.split(':');
  for (let i = 0; i < segments.length; i += 1) {
    // Ids may hold colons themselves (`whatsapp:+1555…`): try every run of segments.
    for (let j = i + 1; j <= segments.length; j += 1)
      if (ids.has(segments.slice(i, j).join(':'))) return true;
  }
  return false;
}

/**
 * `requireConsent` as a yes/no for filters: whether the customer currently consents to `purpose`.
 *
 * @example
 * createReplySuggester({ cases, transcripts, mayUse: (c) => consentGate(stores.consent, 'transcript_storage')(c.customerId) });
 */
export function consentGate(ledger: Pick<ConsentLedger, 'history'>, purpose: ConsentPurpose) {
  // Asked on every turn by analytics: a plain answer, not an exception built (stack and all) per customer.
  return async (customerId: string): Promise<boolean> =>
    (await currentConsent(ledger, customerId, purpose))?.granted === true;
}
