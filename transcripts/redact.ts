import type { JsonObject, JsonValue } from '../core/json';

/** What was removed; one entry per occurrence, so a count says how many. */
export const REDACTION_KINDS = ['card_number', 'security_code'] as const;
export type RedactionKind = (typeof REDACTION_KINDS)[number];

export const CARD_PLACEHOLDER = '[card number removed]';
export const SECURITY_CODE_PLACEHOLDER = '[security code removed]';

/** The Luhn checksum every payment card number satisfies (and ~90% of random digit strings do not). */
export function isLuhnValid(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i += 1) {
    let digit = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2 === 1) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
  }
  return digits.length > 0 && sum % 10 === 0;
}

const isCardDigits = (digits: string) => digits.length >= 13 && digits.length <= 19 && isLuhnValid(digits);

// Runs of digit groups joined by one space, dash or no-break space: "4111 1111-1111 1111".
const DIGIT_RUN = /\d+(?:[ \u00a0-]\d+)*/g;

/** Within one run, the longest card-shaped span of whole groups starting at `start`, if any. */
function cardSpanAt(groups: string[], start: number): number | undefined {
  let digits = '';
  let end: number | undefined;
  for (let j = start; j < groups.length && digits.length + groups[j]!.length <= 19; j += 1) {
    digits += groups[j];
    if (isCardDigits(digits)) end = j;
  }
  return end;
}

/**
 * Replaces the card numbers inside one run of digit groups. A run may hold more than the card (a CVV typed
 * after it, two numbers in a row), so every span of whole groups is tried, leftmost and longest first.
 */
function redactRun(run: string, found: RedactionKind[]): string {
  const parts = run.split(/([ \u00a0-])/);
  const groups = parts.filter((_, i) => i % 2 === 0);
  const separators = parts.filter((_, i) => i % 2 === 1);
  let out = '';
  for (let i = 0; i < groups.length; i += 1) {
    const end = cardSpanAt(groups, i);
    if (end === undefined) {
      out += groups[i] + (separators[i] ?? '');
      continue;
    }
    found.push('card_number');
    out += CARD_PLACEHOLDER + (separators[end] ?? '');
    i = end;
  }
  return out;
}

function redactCards(text: string, found: RedactionKind[]): string {
  return text.replace(DIGIT_RUN, (run: string, offset: number) => {
    // "+44 ..." is a phone number, never a card.
    if (text[offset - 1] === '+') return run;
    return redactRun(run, found);
  });
}

// Names people and forms give the 3–4 digit code on a card. ("CID" is left out: it usually means customer id.)
const CODE_NAME = String.raw`(?:cvv2?|cvc2?|cvn|csc|security\s+code|card\s+verification(?:\s+(?:value|code|number))?)`;
// A 3–4 digit number standing alone: not part of a longer number, not the tail of an id like A1001.
const CODE = String.raw`(?<![\p{L}\d])\d{3,4}(?![\d\p{L}])`;
// "CVV: 123", "cvc is 456", "security code on the back is 7890": up to 25 characters between, no digits.
const NAME_THEN_CODE = new RegExp(String.raw`(\b${CODE_NAME}\b[^\d\n]{0,25}?)${CODE}`, 'giu');
// "123 is my cvv", "456 is the card's security code".
const CODE_THEN_NAME = new RegExp(
  String.raw`${CODE}(\s*(?:is|was|=|-|:)?\s*(?:my|the)?\s*(?:card'?s?\s+)?${CODE_NAME}\b)`,
  'giu',
);

function redactSecurityCodes(text: string, found: RedactionKind[]): string {
  const afterName = text.replace(NAME_THEN_CODE, (_match, lead: string) => {
    found.push('security_code');
    return lead + SECURITY_CODE_PLACEHOLDER;
  });
  return afterName.replace(CODE_THEN_NAME, (_match, tail: string) => {
    found.push('security_code');
    return SECURITY_CODE_PLACEHOLDER + tail;
  });
}

/**
 * Removes payment card numbers and card security codes from free text before it is stored or logged.
 * Card numbers are Luhn-valid runs of 13–19 digits (spaces or dashes allowed between groups); security
 * codes are 3–4 digit numbers next to a name for them (CVV, CVC, security code...). Order numbers, account
 * numbers, phone numbers and dates are left alone.
 *
 * @example
 * redactText('card 4111 1111 1111 1111, cvv 123');
 * // { text: 'card [card number removed], cvv [security code removed]',
 * //   redactions: ['card_number', 'security_code'] }
 */
export function redactText(text: string): { text: string; redactions: RedactionKind[] } {
  const redactions: RedactionKind[] = [];
  // Cards first: the placeholder holds no digits, so a code typed right after a card is still found.
  const withoutCards = redactCards(text, redactions);
  return { text: redactSecurityCodes(withoutCards, redactions), redactions };
}

// Field names that hold a security code whatever their value looks like: {"cvv": 123}.
const CODE_FIELDS = new Set([
  'cvv',
  'cvv2',
  'cvc',
  'cvc2',
  'cvn',
  'csc',
  'securitycode',
  'cardverificationcode',
]);
const isCodeField = (key: string) => CODE_FIELDS.has(key.toLowerCase().replace(/[^a-z0-9]/g, ''));

function redactValue(value: JsonValue, found: RedactionKind[], key?: string): JsonValue {
  if (key !== undefined && isCodeField(key) && (typeof value === 'string' || typeof value === 'number')) {
    if (/^\s*\d{3,4}\s*$/.test(String(value))) {
      found.push('security_code');
      return SECURITY_CODE_PLACEHOLDER;
    }
  }
  if (typeof value === 'string') {
    const result = redactText(value);
    found.push(...result.redactions);
    return result.text;
  }
  // A card number that a parser turned into a number is still a card number.
  if (typeof value === 'number' && Number.isSafeInteger(value) && isCardDigits(String(Math.abs(value)))) {
    found.push('card_number');
    return CARD_PLACEHOLDER;
  }
  if (Array.isArray(value)) return value.map((item) => redactValue(item, found));
  if (value !== null && typeof value === 'object') {
    const copy: { [key: string]: JsonValue } = {};
    for (const [field, item] of Object.entries(value)) copy[field] = redactValue(item, found, field);
    return copy;
  }
  return value;
}

/**
 * `redactText` over every string in a JSON value (slots, event data, metadata), returning a redacted copy.
 * Also catches card numbers stored as numbers, and any 3–4 digit value under a field named like a security
 * code (`cvv`, `securityCode`, `security_code`...).
 */
export function redactDeep(value: JsonObject): { value: JsonObject; redactions: RedactionKind[] };
export function redactDeep(value: JsonValue[]): { value: JsonValue[]; redactions: RedactionKind[] };
export function redactDeep(value: JsonValue): { value: JsonValue; redactions: RedactionKind[] };
export function redactDeep(value: JsonValue): { value: JsonValue; redactions: RedactionKind[] } {
  const redactions: RedactionKind[] = [];
  // Objects stay objects and arrays stay arrays; only leaves change (a card number may become a string).
  return { value: redactValue(value, redactions), redactions };
}
