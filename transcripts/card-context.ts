import { foldDigits } from './digits';

/**
 * What people type around a card number: its security code and expiry date. Runs after card numbers are
 * replaced, so "next to a card" means next to the card placeholder.
 */

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

// A 3–4 digit number standing alone: not part of a longer number or a date, not the tail of an id (A1001).
const CODE = String.raw`(?<![\p{L}\p{Nd}/.\-])\p{Nd}{3,4}(?![\p{Nd}\p{L}]|[/.\-]\p{Nd})`;

// The names people and forms give the code on a card ("CID" is left out: it usually means customer id).
const CODE_NAME = [
  String.raw`cvv2?|cvc2?|cvn|csc|cvd|cav2|cid\s+code`,
  String.raw`(?:card\s+)?(?:security|sec\.?)\s*(?:code|number|no\.?|digits|#)`,
  String.raw`(?:card\s+)?verification\s+(?:value|code|number|no\.?|digits)|card\s+verification`,
  String.raw`(?:code|number|digits|numbers)\s+(?:on|at|from|in)\s+(?:the\s+)?(?:back|reverse|signature\s+strip)`,
  String.raw`back\s+of\s+(?:the\s+|my\s+)?card|signature\s+strip`,
  String.raw`(?:3|4|three|four)[-\s]?digits?\s+(?:code|number)`,
].join('|');

// "CVV: 123", "the code on the back is 7890", "cvv\n123": up to 25 characters between, none a digit.
const NAME_THEN_CODE = new RegExp(
  String.raw`((?<![\p{L}])(?:${CODE_NAME})(?![\p{L}])[^\p{Nd}]{0,25}?)${CODE}`,
  'giu',
);
// "123 is my cvv", "456 is the card's security code", "789 (cvc)".
const CODE_THEN_NAME = new RegExp(
  String.raw`${CODE}(\s*(?:is|was|=|-|:|\()?\s*(?:my|the)?\s*(?:card'?s?\s+)?(?:${CODE_NAME})(?![\p{L}]))`,
  'giu',
);

// MM/YY, MM/YYYY, MM-YY, MM.YY, "MM / YY".
const EXPIRY = /(?<![\p{Nd}/.-])(\p{Nd}{1,2})\s*[/.\-\u2013]\s*(\p{Nd}{4}|\p{Nd}{2})(?![\p{Nd}/.-])/gu;
const isMonth = (digits: string) => {
  const month = Number(foldDigits(digits));
  return month >= 1 && month <= 12;
};

/** Where "next to a card" ends: the end of the line after the card's line. */
function windowEnd(text: string, from: number): number {
  const lineEnd = text.indexOf('\n', from);
  if (lineEnd === -1) return text.length;
  const nextEnd = text.indexOf('\n', lineEnd + 1);
  return nextEnd === -1 ? text.length : nextEnd;
}

export interface CardContextPlaceholders {
  card: string;
  code: string;
  expiry: string;
}

export type ContextKind = 'security_code' | 'expiry_date';

/** Compiled once per set of placeholders (they are part of the patterns). */
export function createCardContextRedactor(placeholders: CardContextPlaceholders) {
  const card = escape(placeholders.card);
  const expiry = escape(placeholders.expiry);
  // A code typed after the card (same line or the next ones), with an expiry or a few words between.
  const nearCard = new RegExp(
    String.raw`(${card}(?:[^\p{Nd}]{0,30}?${expiry})?[^\p{Nd}]{0,30}?)${CODE}`,
    'gu',
  );

  function redactExpiryNearCards(text: string, found: ContextKind[]): string {
    let out = '';
    let copied = 0;
    for (let at = text.indexOf(placeholders.card); at !== -1; at = text.indexOf(placeholders.card, at + 1)) {
      const lineStart = Math.max(copied, text.lastIndexOf('\n', at) + 1);
      const end = windowEnd(text, at);
      const window = text.slice(lineStart, end).replace(EXPIRY, (match: string, month: string) => {
        if (!isMonth(month)) return match;
        found.push('expiry_date');
        return placeholders.expiry;
      });
      out += text.slice(copied, lineStart) + window;
      copied = end;
      at = Math.max(at, end - 1);
    }
    return out + text.slice(copied);
  }

  /** Security codes (named, or next to a card) and expiry dates next to a card. */
  return function redactCardContext(text: string, found: ContextKind[]): string {
    const hasCard = text.includes(placeholders.card);
    let out = hasCard ? redactExpiryNearCards(text, found) : text;
    const code = (lead: string) => {
      found.push('security_code');
      return lead + placeholders.code;
    };
    if (hasCard) out = out.replace(nearCard, (_match, lead: string) => code(lead));
    out = out.replace(NAME_THEN_CODE, (_match, lead: string) => code(lead));
    return out.replace(CODE_THEN_NAME, (_match, tail: string) => {
      found.push('security_code');
      return placeholders.code + tail;
    });
  };
}
