import fc from 'fast-check';
import type { JsonValue } from '../core/json';
import type { Message } from '../core/message';
import { AFTER, BEFORE, cardDigits, cardForm, leaksCard } from '../test/support/card-forms';
import {
  CARD_PLACEHOLDER as CARD,
  SECURITY_CODE_PLACEHOLDER as CODE,
  redactDeep,
  redactText,
} from './redact';
import { createMessageRedactor, hashId } from './redact-message';
import { isIssuedCardDigits } from './card-numbers';

// Fixed seed per run of the suite is not used on purpose: every run explores new forms. A failure prints
// its seed and path, which `fc.assert(..., { seed, path })` replays.
const CARD_TEXT_RUNS = 10_000;
const OTHER_RUNS = 1_500;

describe('redactText, property-based', () => {
  it(`removes every card number in any written form, and nothing around it (${CARD_TEXT_RUNS} cases)`, () => {
    fc.assert(
      fc.property(cardForm, fc.constantFrom(...BEFORE), fc.constantFrom(...AFTER), (form, before, after) => {
        const { text, redactions } = redactText(before + form.written + after);
        expect(text).toBe(before + CARD + after);
        expect(redactions).toEqual(['card_number']);
      }),
      { numRuns: CARD_TEXT_RUNS },
    );
  });

  it('removes two cards in one message, each in its own form', () => {
    fc.assert(
      fc.property(cardForm, cardForm, (first, second) => {
        const { text } = redactText(`old ${first.written} and new ${second.written}`);
        expect(text).toBe(`old ${CARD} and new ${CARD}`);
      }),
      { numRuns: OTHER_RUNS },
    );
  });

  const codePhrasings = [
    (code: string) => `cvv ${code}`,
    (code: string) => `CVC: ${code}`,
    (code: string) => `the code on the back is ${code}`,
    (code: string) => `code on the back of the card: ${code}`,
    (code: string) => `sec code ${code}`,
    (code: string) => `security number ${code}`,
    (code: string) => `verification number: ${code}`,
    (code: string) => `card verification value ${code}`,
    (code: string) => `3-digit code is ${code}`,
    (code: string) => `three digit number ${code}`,
    (code: string) => `${code} is my cvv`,
    (code: string) => `${code} is the card's security code`,
    (code: string) => `cvv\n${code}`,
  ];

  it('removes security codes phrased in many ways, and those typed after a card', () => {
    const code = fc
      .integer({ min: 0, max: 9999 })
      .chain((n) => fc.constantFrom(String(n).padStart(3, '0'), String(n).padStart(4, '0')));
    const afterCard = [
      (card: string, c: string) => `${card} ${c}`,
      (card: string, c: string) => `${card}\n${c}`,
      (card: string, c: string) => `${card} exp 12/27 ${c}`,
      (card: string, c: string) => `${card}\n09/2031\n${c}`,
      (card: string, c: string) => `card ${card}, code ${c}`,
    ];
    fc.assert(
      fc.property(
        code,
        fc.constantFrom(...codePhrasings),
        fc.constantFrom(...afterCard),
        cardForm,
        (c, phrase, typed, form) => {
          const named = redactText(`hi, ${phrase(c)}, thanks`);
          expect(named.text).toBe(`hi, ${phrase(CODE)}, thanks`);
          const next = redactText(typed(form.written, c)).text;
          expect(next).not.toMatch(new RegExp(`(?<!\\d)${c}(?!\\d)`));
          // (A code may also be read as the card's last digits when both pass Luhn together: still removed.)
          expect(leaksCard(next, form.digits)).toBe(false);
        },
      ),
      { numRuns: OTHER_RUNS },
    );
  });
});

/** A JSON value holding `card` somewhere: as a value, inside a string, as a key, as a number. */
function jsonHolding(card: string, digits: string): fc.Arbitrary<JsonValue> {
  // A card as a JSON number loses digits past 2^53: only safe integers are a fair test. As a number it
  // must also carry an issuer's prefix (`isIssuedCardDigits`): numbers in metadata are mostly times.
  const asNumber = Number(digits);
  const numeric = Number.isSafeInteger(asNumber) && isIssuedCardDigits(digits);
  const leaves: JsonValue[] = [card, `note: ${card}`, { [card]: true }, [1, card]];
  const leaf = fc.constantFrom<JsonValue>(...leaves, ...(numeric ? [asNumber] : []));
  return fc
    .tuple(leaf, fc.array(fc.constantFrom('a', 'order', 'meta', 'x'), { minLength: 0, maxLength: 4 }))
    .map(([value, path]) =>
      path.reduceRight<JsonValue>((inner, key) => ({ [key]: inner, other: 'A1001' }), value),
    );
}

describe('redactDeep and the message redactor, property-based', () => {
  it('leave no card in any JSON value', () => {
    fc.assert(
      fc.property(
        cardForm.chain((form) => jsonHolding(form.written, form.digits).map((json) => ({ form, json }))),
        ({ form, json }) => {
          expect(leaksCard(JSON.stringify(redactDeep(json).value), form.digits)).toBe(false);
        },
      ),
      { numRuns: OTHER_RUNS },
    );
  });

  const FIELDS = [
    'text',
    'label',
    'speech',
    'metadata',
    'channelUserId',
    'conversationId',
    'messageId',
  ] as const;
  const redactMessage = createMessageRedactor(redactText);

  it('leave no card in any field of a message; ids are hashed the same way every time', () => {
    fc.assert(
      fc.property(cardForm, fc.constantFrom(...FIELDS), (form, field) => {
        const base: Message = {
          channel: 'rest',
          channelUserId: 'alice',
          conversationId: 'rest:alice',
          messageId: 'm1',
          kind: 'text',
          text: 'hello',
          timestamp: 1,
          raw: { sender: form.written },
        };
        const message: Message =
          field === 'speech'
            ? { ...base, kind: 'speech', speech: { transcript: form.written, confidence: 0.9 } }
            : field === 'metadata'
              ? {
                  ...base,
                  metadata: { message_id: form.written, nested: { [form.written]: [form.written] } },
                }
              : field === 'conversationId'
                ? { ...base, conversationId: `rest:${form.written}` }
                : { ...base, [field]: form.written };
        const { message: clean, redactions } = redactMessage(message);
        expect(leaksCard(JSON.stringify(clean), form.digits)).toBe(false);
        expect(clean.raw).toBeUndefined();
        expect(redactions).toContain('card_number');
        if (field === 'conversationId') expect(clean.conversationId).toBe(`rest:${hashId(form.written)}`);
        if (field === 'channelUserId' || field === 'messageId')
          expect(clean[field]).toBe(hashId(form.written));
      }),
      { numRuns: OTHER_RUNS },
    );
  });
});

describe('cardDigits (the generator itself)', () => {
  it('only makes Luhn-valid numbers of 13 to 19 digits', () => {
    for (const digits of fc.sample(cardDigits, 200)) {
      expect(digits).toMatch(/^[1-9]\d{12,18}$/);
      expect(redactText(digits).text).toBe(CARD);
    }
  });
});
