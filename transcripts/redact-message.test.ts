import { randomUUID } from 'node:crypto';
import type { Message } from '../core/message';
import { containsCardNumber, idCarriesCardNumber } from './card-numbers';
import { redactText } from './redact';
import { createMessageRedactor } from './redact-message';

/** A random UUID whose digit groups happen to read as a Luhn-valid card number (about 1 in a few hundred). */
function uuidThatLooksLikeACard(): string {
  for (let tries = 0; tries < 200_000; tries += 1) {
    const id = randomUUID();
    if (containsCardNumber(id)) return id;
  }
  throw new Error('no such UUID found');
}

const message = (ids: Partial<Message>): Message => ({
  channel: 'rest',
  channelUserId: 'alice',
  conversationId: 'rest:alice',
  messageId: 'm-1',
  kind: 'text',
  text: 'hello',
  timestamp: 0,
  ...ids,
});

describe('ids and card numbers', () => {
  const redactMessage = createMessageRedactor(redactText);

  it('never takes a UUID for a card, even when its digits pass the Luhn check', () => {
    const id = uuidThatLooksLikeACard();
    expect(idCarriesCardNumber(id)).toBe(false);
    const { message: cleaned, redactions } = redactMessage(message({ messageId: id }));
    expect(cleaned.messageId).toBe(id);
    expect(redactions).toEqual([]);
  });

  it('still hashes a sender that carries a card number, keeping the channel prefix', () => {
    const { message: cleaned, redactions } = redactMessage(
      message({ channelUserId: '4111 1111 1111 1111', conversationId: 'rest:4111 1111 1111 1111' }),
    );
    expect(cleaned.channelUserId).toMatch(/^h-[0-9a-f]{32}$/);
    expect(cleaned.conversationId).toMatch(/^rest:h-[0-9a-f]{32}$/);
    expect(redactions).toContain('card_number');
    expect(idCarriesCardNumber('4111-1111-1111-1111')).toBe(true);
  });
});
