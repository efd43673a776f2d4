import type { TurnCompleted } from '../core/analytics';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
export const DAY_MS = 24 * HOUR;

/** A customer coming to us about one intent: the first turn of that intent in one of their sessions. */
export interface Contact {
  at: number;
  customerId: string;
  conversationId: string;
  intent: string;
  /** The same customer had a contact about the same intent in the 24 hours (7 days) before this one. */
  repeat24h: boolean;
  repeat7d: boolean;
}

export interface ContactOptions {
  /** Intents that are not a reason to contact us (greetings, yes/no, thanks, out of scope). */
  ignoreIntents: readonly string[];
  /** Silence after which the customer's next message starts a new session. */
  sessionGapMs: number;
}

export const DEFAULT_CONTACT_OPTIONS: ContactOptions = {
  ignoreIntents: ['greet', 'goodbye', 'thanks', 'affirm', 'deny', 'help', 'human_agent', 'out_of_scope'],
  sessionGapMs: 30 * MINUTE,
};

/**
 * Contacts from customers' turns, oldest first. The customer is the identity port's: their linked channels
 * share one id, so a question asked on SMS and again on web chat is one customer asking twice. A repeat
 * looks back from the contact's start; pass turns from 7 days before the period so its first days count.
 */
export function findContacts(
  turns: readonly TurnCompleted[],
  options: ContactOptions = DEFAULT_CONTACT_OPTIONS,
): Contact[] {
  const ignored = new Set(options.ignoreIntents);
  const lastTurn = new Map<string, number>();
  const sessionIntents = new Map<string, Set<string>>();
  const history = new Map<string, number[]>();
  const contacts: Contact[] = [];
  for (const turn of [...turns].sort((a, b) => a.at - b.at)) {
    const previous = lastTurn.get(turn.customerId);
    lastTurn.set(turn.customerId, turn.at);
    if (previous === undefined || turn.at - previous > options.sessionGapMs) {
      sessionIntents.set(turn.customerId, new Set());
    }
    const intent = turn.intent;
    if (!intent || ignored.has(intent) || turn.fallback || turn.toAgent) continue;
    const seen = sessionIntents.get(turn.customerId) ?? new Set<string>();
    if (seen.has(intent)) continue;
    seen.add(intent);
    const key = `${turn.customerId}\u0000${intent}`;
    const before = history.get(key) ?? [];
    contacts.push({
      at: turn.at,
      customerId: turn.customerId,
      conversationId: turn.conversationId,
      intent,
      repeat24h: before.some((at) => turn.at - at <= DAY_MS),
      repeat7d: before.some((at) => turn.at - at <= 7 * DAY_MS),
    });
    history.set(key, [...before, turn.at]);
  }
  return contacts;
}
