import type { Case } from '../core/case';
import type { JsonValue } from '../core/json';
import type {
  ChannelAddress,
  Clock,
  ConversationState,
  CustomerData,
  CustomerScope,
  KeyValueEntry,
  ProcessedMessage,
  Stores,
} from '../core/ports';
import type { AuditActor, AuditEvent, ConsentRecord } from '../core/privacy';
import type { TranscriptEntry } from '../core/transcript';
import { deviceData } from './devices';
import type { ErasureNotice } from './erasure-notice';

/** Agent notes marked internal-only: kept from subject-access exports (the customer never saw them). */
const INTERNAL_NOTE_EVENT = 'case.note';

/** Everything Parley holds about one customer, across every store and channel. */
export interface CustomerExport {
  format: 'parley.subject-access.v1';
  generatedAt: number;
  customerId: string;
  addresses: ChannelAddress[];
  conversations: Array<{ conversationId: string; state?: ConversationState; transcript: TranscriptEntry[] }>;
  cases: Case[];
  /** Replies kept so a channel's retry is answered from the record. */
  processedReplies: ProcessedMessage[];
  consent: ConsentRecord[];
  /** Connectors' small values about the customer (options offered, opt-outs). */
  connectorValues: KeyValueEntry[];
  /** Product analytics events, from the analytics port when one is plugged in. */
  analytics: JsonValue[];
  /** Connected devices the customer owns (no keys) with their recent history. */
  devices: JsonValue[];
  /** Who read, exported or erased the customer's data. */
  audit: AuditEvent[];
}

/** How many records each store removed. */
export interface ErasureReport {
  customerId: string;
  scope: CustomerScope;
  erased: Record<string, number>;
  /** Tombstoned case ids. */
  caseIds: string[];
  /** Stores that hold data about the customer but cannot erase it (it leaves with their retention). */
  notErased: string[];
  /** Outcome of the signed notice to external agent hubs. */
  hubNotice?: { ok: true; status: number } | { ok: false; error: string };
}

export interface PrivacyServiceDeps {
  stores: Pick<
    Stores,
    'identities' | 'conversations' | 'transcripts' | 'processed' | 'cases' | 'keyValue' | 'consent' | 'audit'
  > &
    Partial<Pick<Stores, 'devices'>>;
  clock: Clock;
  customerRef: (customerId: string) => string;
  /**
   * Further stores that hold data about customers (the analytics port, a bot's own records): exported
   * under their name (`analytics` goes to `CustomerExport.analytics`) and erased with the rest.
   */
  extra?: Record<string, CustomerData<JsonValue>>;
  /**
   * Stores that can show what they hold about a customer but cannot delete it through their port (a
   * bot's own read-only source): exported, and named in the erasure report's `notErased`.
   */
  exportOnly?: Record<string, Pick<CustomerData<JsonValue>, 'listByCustomer'>>;
  /** Tells external agent hubs (signed webhook) to erase their copies; see `sendErasureNotice`. */
  notifyHubs?: (notice: ErasureNotice) => Promise<number>;
}

/** Who asked, and from where: recorded in the audit trail with every export and erasure. */
export interface PrivacyRequest {
  actor: AuditActor;
  from?: string;
}

/**
 * Subject access and erasure over every store. The customer's scope (addresses and every conversation
 * they had) comes from the identity store's index; each store answers for its part. Both steps are
 * audited; the audit trail keeps the customer's pseudonym only, so it survives the erasure.
 */
export function createPrivacyService(deps: PrivacyServiceDeps) {
  const { stores, clock } = deps;
  const extra: Record<string, CustomerData<JsonValue>> = {
    ...(stores.devices ? { devices: deviceData(stores.devices) } : {}),
    ...deps.extra,
  };

  async function audit(request: PrivacyRequest, customerId: string, action: AuditEvent['action']) {
    await stores.audit.append({
      at: clock.now(),
      actor: request.actor,
      action,
      target: 'customer',
      customerRef: deps.customerRef(customerId),
      ...(request.from ? { from: request.from } : {}),
    });
  }

  return {
    async exportCustomer(customerId: string, request: PrivacyRequest): Promise<CustomerExport> {
      await audit(request, customerId, 'export');
      const scope = await stores.identities.scope(customerId);
      const [states, transcripts, cases, processed, consent, values, trail] = await Promise.all([
        stores.conversations.listByCustomer(scope),
        stores.transcripts.listByCustomer(scope),
        stores.cases.listByCustomer(scope),
        stores.processed.listByCustomer(scope),
        stores.consent.listByCustomer(scope),
        stores.keyValue.listByCustomer(scope),
        stores.audit.list({ customerRef: deps.customerRef(customerId) }),
      ]);
      const analyticsSource = extra['analytics'] ?? deps.exportOnly?.['analytics'];
      const analytics = analyticsSource ? await analyticsSource.listByCustomer(scope) : [];
      const devices = extra['devices'] ? await extra['devices'].listByCustomer(scope) : [];
      const byId = new Map(states.map((s) => [s.conversationId, s]));
      const lines = new Map(transcripts.map((t) => [t.conversationId, t.entries]));
      return {
        format: 'parley.subject-access.v1',
        generatedAt: clock.now(),
        customerId,
        addresses: [...scope.addresses],
        conversations: scope.conversationIds.map((conversationId) => {
          const state = byId.get(conversationId);
          return {
            conversationId,
            ...(state ? { state } : {}),
            transcript: withoutInternalNotes(lines.get(conversationId) ?? []),
          };
        }),
        cases: cases.map((item) => ({
          ...item,
          package: { ...item.package, transcript: withoutInternalNotes(item.package.transcript) },
        })),
        processedReplies: processed,
        consent,
        connectorValues: values,
        analytics,
        devices,
        audit: trail,
      };
    },

    async eraseCustomer(customerId: string, request: PrivacyRequest): Promise<ErasureReport> {
      const scope = await stores.identities.scope(customerId);
      const caseIds = (await stores.cases.listByCustomer(scope)).map((c) => c.id);
      const parts: Record<string, CustomerData<unknown>> = {
        conversations: stores.conversations,
        transcripts: stores.transcripts,
        processed: stores.processed,
        cases: stores.cases,
        keyValue: stores.keyValue,
        consent: stores.consent,
        ...extra,
      };
      const erased: Record<string, number> = {};
      for (const [name, part] of Object.entries(parts)) erased[name] = await part.eraseByCustomer(scope);
      // Last: the index is what finds everything else, so a failure above can be retried.
      erased['identities'] = await stores.identities.eraseCustomer(customerId);
      await audit(request, customerId, 'erase');
      const notErased = Object.keys(deps.exportOnly ?? {});
      const report: ErasureReport = { customerId, scope, erased, caseIds, notErased };
      if (deps.notifyHubs && caseIds.length > 0) {
        const notice: ErasureNotice = {
          event: 'customer.erased',
          customerRef: deps.customerRef(customerId),
          caseIds,
          at: clock.now(),
        };
        try {
          report.hubNotice = { ok: true, status: await deps.notifyHubs(notice) };
        } catch (error) {
          report.hubNotice = { ok: false, error: error instanceof Error ? error.message : String(error) };
        }
      }
      return report;
    },
  };
}

export type PrivacyService = ReturnType<typeof createPrivacyService>;

function withoutInternalNotes(entries: TranscriptEntry[]): TranscriptEntry[] {
  return entries.filter((e) => e.event !== INTERNAL_NOTE_EVENT);
}
