import { createHash } from 'node:crypto';
import type { MessageRedactor, Redactor } from '../core/pipeline';
import { redactDeep, type TextRedactor } from './redact';

const ID_FIELDS = ['channelUserId', 'conversationId', 'messageId'] as const;
/** A UUID, optionally after a `channel:` prefix: a made id whose hex digit groups can pass Luhn by chance. */
const UUID_ID = /^(?:[a-z][a-z0-9-]*:)?[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const TEXT_FIELDS = ['text', 'label', 'event', 'locale'] as const;

/**
 * An id that carries card data is replaced by a hash of itself: the same id always maps to the same hash
 * (a sender keeps their conversation), while the card number never reaches a key, a log or the desk.
 */
export function hashId(id: string): string {
  return `h-${createHash('sha256').update(id).digest('hex').slice(0, 32)}`;
}

/** True when `redact` finds a card number in `value` (the test ids must pass). */
export function carriesCardNumber(value: string, redact: Redactor): boolean {
  return !UUID_ID.test(value) && redact(value).redactions.includes('card_number');
}

/**
 * Redacts every customer-controlled string of a message with one text redactor: text, label, event name,
 * speech transcript, metadata (recursively, keys too), and the ids. Ids carrying a card number are hashed
 * (keeping a `channel:` prefix, so `rest:<sender>` stays `rest:<hash of sender>`). Drops `raw`.
 *
 * @example
 * const redactMessage = createMessageRedactor(redactText);
 * redactMessage({ ...message, channelUserId: '4111111111111111' }).message.channelUserId; // 'h-6a1f…'
 */
export function createMessageRedactor(redact: Redactor): MessageRedactor {
  // The port's redactor reports kinds as plain strings; redactDeep only passes them through.
  const asTextRedactor: TextRedactor = (text) => {
    const result = redact(text);
    return { text: result.text, redactions: result.redactions as ReturnType<TextRedactor>['redactions'] };
  };
  const protectId = (id: string, prefix: string): string => {
    if (!carriesCardNumber(id, redact)) return id;
    return id.startsWith(prefix) ? prefix + hashId(id.slice(prefix.length)) : hashId(id);
  };
  return (incoming) => {
    const { raw: _raw, ...message } = incoming;
    const redactions: string[] = [];
    const clean = (text: string): string => {
      const result = redact(text);
      redactions.push(...result.redactions);
      return result.text;
    };
    for (const field of TEXT_FIELDS) {
      const value = message[field];
      if (value !== undefined) message[field] = clean(value);
    }
    if (message.speech) message.speech = { ...message.speech, transcript: clean(message.speech.transcript) };
    if (message.metadata) {
      const result = redactDeep(message.metadata, asTextRedactor);
      message.metadata = result.value;
      redactions.push(...result.redactions);
    }
    for (const field of ID_FIELDS) {
      const protectedId = protectId(message[field], `${message.channel}:`);
      if (protectedId !== message[field]) {
        message[field] = protectedId;
        redactions.push('card_number');
      }
    }
    return { message, redactions: [...new Set(redactions)] };
  };
}
