/**
 * Decimal digits in any script, folded to ASCII. A card number typed with Arabic-Indic (٤١١١), fullwidth
 * (４１１１) or Devanagari (४१११) digits is the same card number, so every detector works on folded digits.
 */

// Every Unicode decimal digit (general category Nd): ASCII and the 60-odd other scripts' 0–9 blocks.
export const ANY_DIGIT = String.raw`\p{Nd}`;
const NON_ASCII_DIGIT = /\p{Nd}/u;
const DIGIT_AT = /\p{Nd}/uy;
const values = new Map<number, number>();

/**
 * The value (0–9) of one decimal digit code point. Unicode lays every script's digits out as contiguous
 * runs of ten starting at zero, so the value is the distance from the start of the run, modulo ten.
 */
function digitValue(codePoint: number): number {
  if (codePoint >= 48 && codePoint <= 57) return codePoint - 48;
  const cached = values.get(codePoint);
  if (cached !== undefined) return cached;
  let start = codePoint;
  while (NON_ASCII_DIGIT.test(String.fromCodePoint(start - 1))) start -= 1;
  const value = (codePoint - start) % 10;
  values.set(codePoint, value);
  return value;
}

/** `"٤١١١"` → `"4111"`; characters that are not digits are dropped. */
export function foldDigits(text: string): string {
  let out = '';
  for (const char of text) {
    const code = char.codePointAt(0)!;
    if (code >= 48 && code <= 57) out += char;
    else if (code > 127 && NON_ASCII_DIGIT.test(char)) out += String(digitValue(code));
  }
  return out;
}

/**
 * How many decimal digits `text` holds, stopping once `enough` are seen: the cheap test that lets most
 * messages skip every detector (a card needs 13 digits, a security code 3).
 */
export function countDigits(text: string, enough: number): number {
  let count = 0;
  for (let i = 0; i < text.length && count < enough; i += 1) {
    const code = text.charCodeAt(i);
    if (code >= 48 && code <= 57) count += 1;
    else if (code > 127) {
      DIGIT_AT.lastIndex = i;
      if (DIGIT_AT.test(text)) count += 1;
    }
  }
  return count;
}
