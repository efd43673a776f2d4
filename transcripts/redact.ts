import type { CountryCode } from 'libphonenumber-js';
import type { JsonObject, JsonValue } from '../core/json';
import { MIN_CARD_DIGITS, isIssuedCardDigits, replaceCardNumbers } from './card-numbers';
import { createCardContextRedactor, type ContextKind } from './card-context';
import {
  emailReplacer,
  ibanReplacer,
  nationalIdReplacer,
  patternReplacer,
  phoneReplacer,
  type BotPattern,
  type NationalId,
  type Replace,
} from './data-classes';
import { countDigits } from './digits';

export { isLuhnValid } from './card-numbers';
export {
  isIbanValid,
  nationalIdsForLocale,
  NATIONAL_IDS,
  type BotPattern,
  type NationalId,
} from './data-classes';

/** What was removed; one entry per occurrence, so a count says how many. */
export const REDACTION_KINDS = [
  'card_number',
  'security_code',
  'expiry_date',
  'email',
  'phone',
  'iban',
  'national_id',
] as const;
export type RedactionKind = (typeof REDACTION_KINDS)[number] | `pattern:${string}`;

export const CARD_PLACEHOLDER = '[card number removed]';
export const SECURITY_CODE_PLACEHOLDER = '[security code removed]';
export const EXPIRY_PLACEHOLDER = '[expiry date removed]';
export const EMAIL_PLACEHOLDER = '[email removed]';
export const PHONE_PLACEHOLDER = '[phone number removed]';
export const IBAN_PLACEHOLDER = '[IBAN removed]';
export const NATIONAL_ID_PLACEHOLDER = '[national id removed]';

/** Card data (number, security code, expiry next to a card): the kinds a customer is warned about. */
export const CARD_DATA_KINDS: readonly RedactionKind[] = ['card_number', 'security_code', 'expiry_date'];

export interface RedactionResult {
  text: string;
  redactions: RedactionKind[];
}

/** Removes what must never be stored from one string. */
export type TextRedactor = (text: string) => RedactionResult;

/**
 * Card data is always removed; these classes are a bot's choice (all off by default, so phone numbers and
 * e-mail addresses a flow asks for reach it).
 */
export interface RedactionOptions {
  email?: boolean;
  /** `true` finds international numbers ("+44 …"); a country also finds its national forms. */
  phone?: boolean | { country: CountryCode };
  iban?: boolean;
  /** Which national ids to find; `nationalIdsForLocale('es-ES')` picks them for a locale. */
  nationalIds?: readonly NationalId[];
  /** The bot's own patterns, each replaced by `[<label> removed]`. */
  patterns?: readonly BotPattern[];
}

const SECURITY_CODE_DIGITS = 3;

/** One optional class; `minDigits` lets a string with fewer digits skip it. */
interface Detector {
  kind: RedactionKind;
  replace: Replace;
  minDigits: number;
}

function optionalDetectors(options: RedactionOptions): Detector[] {
  const detectors: Detector[] = [];
  // IBANs and ids before phones: their digits would otherwise read as phone numbers.
  if (options.iban) detectors.push({ kind: 'iban', replace: ibanReplacer(IBAN_PLACEHOLDER), minDigits: 4 });
  if (options.nationalIds?.length)
    detectors.push({
      kind: 'national_id',
      replace: nationalIdReplacer(options.nationalIds, NATIONAL_ID_PLACEHOLDER),
      minDigits: 6,
    });
  if (options.email)
    detectors.push({ kind: 'email', replace: emailReplacer(EMAIL_PLACEHOLDER), minDigits: 0 });
  if (options.phone) {
    const country = typeof options.phone === 'object' ? options.phone.country : undefined;
    detectors.push({ kind: 'phone', replace: phoneReplacer(PHONE_PLACEHOLDER, country), minDigits: 7 });
  }
  for (const pattern of options.patterns ?? [])
    detectors.push({ kind: `pattern:${pattern.label}`, replace: patternReplacer(pattern), minDigits: 0 });
  return detectors;
}

/**
 * Builds a redactor for free text: card numbers in any written form (any digits, any separators, checked
 * with Luhn), security codes (named in many ways, or typed next to a card), expiry dates next to a card,
 * and the optional classes chosen. Everything is compiled here, once; a string with too few digits for a
 * card or code skips those detectors.
 *
 * @example
 * const redact = createRedactor({ email: true, nationalIds: nationalIdsForLocale('es-ES') });
 * redact('card 4111.1111.1111.1111, exp 12/27, dni 12345678Z');
 * // { text: 'card [card number removed], exp [expiry date removed], dni [national id removed]',
 * //   redactions: ['card_number', 'expiry_date', 'national_id'] }
 */
export function createRedactor(options: RedactionOptions = {}): TextRedactor {
  const cardContext = createCardContextRedactor({
    card: CARD_PLACEHOLDER,
    code: SECURITY_CODE_PLACEHOLDER,
    expiry: EXPIRY_PLACEHOLDER,
  });
  const detectors = optionalDetectors(options);
  const mostDigitsNeeded = Math.max(0, ...detectors.map((detector) => detector.minDigits));
  return (text) => {
    const redactions: RedactionKind[] = [];
    let out = text;
    const digits = countDigits(text, Math.max(MIN_CARD_DIGITS, mostDigitsNeeded));
    if (digits >= MIN_CARD_DIGITS)
      out = replaceCardNumbers(out, CARD_PLACEHOLDER, () => redactions.push('card_number'));
    if (digits >= SECURITY_CODE_DIGITS) {
      const found: ContextKind[] = [];
      out = cardContext(out, found);
      redactions.push(...found);
    }
    for (const { kind, replace, minDigits } of detectors)
      if (digits >= minDigits) out = replace(out, () => redactions.push(kind));
    return { text: out, redactions };
  };
}

/**
 * The default redactor (card data only), used for transcripts, logs and agent messages.
 *
 * @example
 * redactText('card 4111 1111 1111 1111, cvv 123');
 * // { text: 'card [card number removed], cvv [security code removed]',
 * //   redactions: ['card_number', 'security_code'] }
 */
export const redactText: TextRedactor = createRedactor();

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

function redactValue(
  value: JsonValue,
  redact: TextRedactor,
  found: RedactionKind[],
  key?: string,
): JsonValue {
  if (key !== undefined && isCodeField(key) && (typeof value === 'string' || typeof value === 'number')) {
    if (/^\s*\d{3,4}\s*$/.test(String(value))) {
      found.push('security_code');
      return SECURITY_CODE_PLACEHOLDER;
    }
  }
  if (typeof value === 'string') {
    const result = redact(value);
    found.push(...result.redactions);
    return result.text;
  }
  // A card number that a parser turned into a number is still a card number; a time in milliseconds is not.
  if (
    typeof value === 'number' &&
    Number.isSafeInteger(value) &&
    isIssuedCardDigits(String(Math.abs(value)))
  ) {
    found.push('card_number');
    return CARD_PLACEHOLDER;
  }
  if (Array.isArray(value)) return value.map((item) => redactValue(item, redact, found));
  if (value !== null && typeof value === 'object') {
    const copy: { [key: string]: JsonValue } = {};
    for (const [field, item] of Object.entries(value)) {
      // Keys are customer-controlled too ({"4111 1111 1111 1111": true}).
      const cleanField = redact(field);
      found.push(...cleanField.redactions);
      copy[cleanField.text] = redactValue(item, redact, found, field);
    }
    return copy;
  }
  return value;
}

/**
 * A redactor over every string in a JSON value (slots, event data, metadata, and object keys), returning a
 * redacted copy. Also catches card numbers stored as numbers, and any 3–4 digit value under a field named
 * like a security code (`cvv`, `securityCode`, `security_code`...). Uses `redactText` unless given another.
 */
export function redactDeep(
  value: JsonObject,
  redact?: TextRedactor,
): { value: JsonObject; redactions: RedactionKind[] };
export function redactDeep(
  value: JsonValue[],
  redact?: TextRedactor,
): { value: JsonValue[]; redactions: RedactionKind[] };
export function redactDeep(
  value: JsonValue,
  redact?: TextRedactor,
): { value: JsonValue; redactions: RedactionKind[] };
export function redactDeep(
  value: JsonValue,
  redact: TextRedactor = redactText,
): { value: JsonValue; redactions: RedactionKind[] } {
  const redactions: RedactionKind[] = [];
  // Objects stay objects and arrays stay arrays; only leaves change (a card number may become a string).
  return { value: redactValue(value, redact, redactions), redactions };
}
