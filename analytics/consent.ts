import { createHmac, randomBytes } from 'node:crypto';
import type { AnalyticsEvent, UnansweredQuestion } from '../core/analytics';
import type { Clock } from '../core/ports';
import type { AnalyticsRecorder } from './recorder';

/** The prefix of an anonymised event's ids: `anon:<digest>` never names a customer or a conversation. */
export const ANONYMOUS_PREFIX = 'anon:';

const DAY_MS = 86_400_000;
/** How many of the day's pseudonyms are remembered (a few MB at most) before the memo starts again. */
export const MAX_REMEMBERED_PSEUDONYMS = 10_000;

export interface ConsentAwareOptions {
  /** Whether the customer currently consents to analytics (`consentGate(ledger, 'analytics')`). */
  mayLink: (customerId: string) => Promise<boolean>;
  clock: Clock;
  /** Random bytes for the day's pseudonym key (tests may pin them). */
  random?: (size: number) => Buffer;
}

/**
 * Analytics under consent (GDPR Art. 6(1)(a), 7(3)): a customer who said yes to `analytics` is recorded
 * as they are; for anyone else (never asked, or withdrew) each event is **anonymised** before it is
 * stored, and the text of an unanswered question is **dropped** (it is their own words).
 *
 * Anonymised means: the customer id, conversation id and case id are replaced by `anon:` and a keyed
 * digest of the conversation id. The key is random, kept only in this process's memory and replaced
 * every day (the old one is forgotten), so nobody, the operator included, can link a stored event back
 * to a customer or to their conversation, yet the day's events of one conversation still group together
 * and the reports' counts (conversations, containment, escalations, waits) still add up. What is lost:
 * repeat-contact detection for these customers, and a conversation that spans two processes or midnight
 * counts twice. Such events are not the customer's data any more: export and erasure do not find them.
 * The day's pseudonyms are memoised beside the key, in memory only, and dropped with it.
 */
export function consentAwareRecorder(
  inner: AnalyticsRecorder,
  options: ConsentAwareOptions,
): AnalyticsRecorder {
  const random = options.random ?? randomBytes;
  let key: { day: number; secret: Buffer } = { day: -1, secret: Buffer.alloc(0) };
  // The day's digests, so a conversation's every event does not pay for an HMAC. Forgotten with the key
  // (it links no more than the key does) and bounded: when full it starts again.
  const known = new Map<string, string>();
  const pseudonym = (id: string): string => {
    const day = Math.floor(options.clock.now() / DAY_MS);
    if (key.day !== day) {
      key = { day, secret: random(32) };
      known.clear();
    }
    const cached = known.get(id);
    if (cached !== undefined) return cached;
    if (known.size >= MAX_REMEMBERED_PSEUDONYMS) known.clear();
    const digest = createHmac('sha256', key.secret).update(id).digest('base64url').slice(0, 22);
    const made = ANONYMOUS_PREFIX + digest;
    known.set(id, made);
    return made;
  };
  const consenting = async (customerIds: Iterable<string>): Promise<Set<string>> => {
    const yes = new Set<string>();
    for (const id of new Set(customerIds)) if (await options.mayLink(id)) yes.add(id);
    return yes;
  };
  return {
    async emit(...events) {
      const yes = await consenting(events.map((e) => e.customerId));
      await inner.emit(...events.map((e) => (yes.has(e.customerId) ? e : anonymised(e, pseudonym))));
    },
    async question(question: UnansweredQuestion, customerId?: string) {
      if (customerId !== undefined && (await consenting([customerId])).has(customerId))
        await inner.question(question, customerId);
    },
  };
}

function anonymised(event: AnalyticsEvent, pseudonym: (id: string) => string): AnalyticsEvent {
  const id = pseudonym(event.conversationId);
  const copy = { ...event, customerId: id, conversationId: id };
  return 'caseId' in copy && copy.caseId !== undefined ? { ...copy, caseId: pseudonym(copy.caseId) } : copy;
}
