import { ANY_DIGIT, countDigits, foldDigits } from './digits';

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

export const MIN_CARD_DIGITS = 13;
const MAX_CARD_DIGITS = 19;

/** 13–19 digits, Luhn-valid, not starting with 0 (no card issuer number does). */
export const isCardDigits = (digits: string): boolean =>
  digits.length >= MIN_CARD_DIGITS &&
  digits.length <= MAX_CARD_DIGITS &&
  digits.charCodeAt(0) !== 48 &&
  isLuhnValid(digits);

/**
 * Card digits that an issuer could have given out: the card networks' prefixes for each length (Visa 4;
 * Mastercard 51–55 and 2221–2720; American Express 34, 37; Discover, Maestro and UnionPay 5 and 6; JCB 35;
 * Diners 30, 36, 38, 39; UATP 1 with 15 digits). Text is redacted on the Luhn check alone, since a person
 * may mistype or invent a prefix; a JSON number also has to look issued, because numbers in metadata are
 * mostly times, and a millisecond time (13 digits, from 1) passes the Luhn check one time in ten.
 */
export function isIssuedCardDigits(digits: string): boolean {
  if (!isCardDigits(digits)) return false;
  const first = digits[0];
  if (first === '4' || first === '5' || first === '6') return true;
  if (first === '3') return /^3[0456789]/.test(digits);
  if (first === '2') {
    const range = Number(digits.slice(0, 4));
    return digits.length === 16 && range >= 2221 && range <= 2720;
  }
  if (first === '1') return digits.length === 15;
  return false;
}

/**
 * What may stand between the digit groups of one written number: any whitespace (tabs, no-break and thin
 * spaces, zero-width characters), any dash (hyphen, en and em dash, minus), dots, slashes, underscores,
 * commas, bullets and stars, fullwidth forms included. Up to ten of them in a row ("4111 - 1111", tabs).
 * Letters, colons and brackets end a number: they separate times, labels and phone area codes.
 */
const SEPARATOR = String.raw`[\s\p{Zs}\p{Cf}\p{Pd}\u2212._/\\,·•*|~\uFF0C\uFF0E\uFF0F\u30FB]`;
const RUN = new RegExp(String.raw`${ANY_DIGIT}+(?:${SEPARATOR}{1,10}${ANY_DIGIT}+)*`, 'gu');
const GROUP = new RegExp(String.raw`${ANY_DIGIT}+`, 'gu');

// E.164 allows 15 digits, but numbers in real use stop at 13; a "+" before more is not read as a phone.
const MAX_PHONE_DIGITS = 13;

interface Group {
  start: number;
  end: number;
  digits: string;
}

function groupsOf(run: string): Group[] {
  const groups: Group[] = [];
  for (const match of run.matchAll(GROUP)) {
    groups.push({ start: match.index, end: match.index + match[0].length, digits: foldDigits(match[0]) });
  }
  return groups;
}

/** Within one run, the longest card-shaped span of whole groups starting at `start`, if any. */
function cardSpanAt(groups: Group[], start: number): number | undefined {
  let digits = '';
  let end: number | undefined;
  for (
    let j = start;
    j < groups.length && digits.length + groups[j]!.digits.length <= MAX_CARD_DIGITS;
    j += 1
  ) {
    digits += groups[j]!.digits;
    if (isCardDigits(digits)) end = j;
  }
  return end;
}

/**
 * Replaces the card numbers in one run of digit groups. A run may hold more than the card (a code typed
 * after it, two numbers in a row), so every span of whole groups is tried, leftmost and longest first.
 */
function replaceInRun(run: string, placeholder: string, onFound: () => void): string {
  const groups = groupsOf(run);
  let out = '';
  let copied = 0;
  for (let i = 0; i < groups.length; i += 1) {
    const end = cardSpanAt(groups, i);
    if (end === undefined) continue;
    onFound();
    out += run.slice(copied, groups[i]!.start) + placeholder;
    copied = groups[end]!.end;
    i = end;
  }
  return copied === 0 ? run : out + run.slice(copied);
}

/**
 * Replaces every payment card number in `text`, however it is written: digits of any script, grouped with
 * any separators (see `SEPARATOR`), mixed. Text with fewer than 13 digits is returned at once.
 */
export function replaceCardNumbers(text: string, placeholder: string, onFound: () => void): string {
  if (countDigits(text, MIN_CARD_DIGITS) < MIN_CARD_DIGITS) return text;
  return text.replace(RUN, (run: string, offset: number) => {
    if (countDigits(run, MIN_CARD_DIGITS) < MIN_CARD_DIGITS) return run;
    // "+44 20 7946 0958" is a phone number, never a card.
    if (text[offset - 1] === '+' && foldDigits(run).length <= MAX_PHONE_DIGITS) return run;
    return replaceInRun(run, placeholder, onFound);
  });
}

/** A UUID (8-4-4-4-12 hex digits): how servers and most clients make ids, never how a card is written. */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * True when an id carries a card number: ids and senders carrying one are refused or hashed. A UUID's digit
 * groups can pass the Luhn check by chance (about one random UUID in several hundred), so a UUID is an id.
 */
export function idCarriesCardNumber(id: string): boolean {
  return !UUID.test(id) && containsCardNumber(id);
}

/** True when `text` holds a card number in any written form. */
export function containsCardNumber(text: string): boolean {
  let found = false;
  replaceCardNumbers(text, '', () => {
    found = true;
  });
  return found;
}
