import fc from 'fast-check';
import { isLuhnValid } from '../../transcripts/redact';
import { foldDigits } from '../../transcripts/digits';

/**
 * Card numbers as an attacker (or a careless customer) would write them: any issuer length, grouped any
 * way, joined by any separators, in any script's digits. Shared by the redaction property tests.
 */

/** The zero of each digit script used: ASCII, Arabic-Indic, Persian, Devanagari, Bengali, Thai, fullwidth,
 * mathematical bold and monospace (outside the BMP). */
export const DIGIT_ZEROS = [0x30, 0x660, 0x6f0, 0x966, 0x9e6, 0xe50, 0xff10, 0x1d7ce, 0x1d7f6] as const;

export const SEPARATORS = [
  '',
  ' ',
  '  ',
  '    ',
  '\t',
  '\t\t',
  '.',
  '/',
  '_',
  '-',
  ' - ',
  '–',
  ' – ',
  '—',
  '\u2212',
  '\u2009',
  '\u202f',
  '\u00a0',
  '\u200b',
  ' / ',
  ' . ',
  ',',
  '\n',
  '．',
  '・',
] as const;

/** The Luhn check digit that completes `body`. */
export function luhnComplete(body: string): string {
  for (let check = 0; check <= 9; check += 1) if (isLuhnValid(body + check)) return body + check;
  throw new Error('unreachable: one check digit always fits');
}

/** A valid card number (13–19 digits, not starting with 0), as ASCII digits. */
export const cardDigits = fc
  .tuple(
    fc.integer({ min: 13, max: 19 }),
    fc.integer({ min: 1, max: 9 }),
    fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: 18, maxLength: 18 }),
  )
  .map(([length, first, rest]) => luhnComplete(String(first) + rest.slice(0, length - 2)));

const STANDARD_GROUPS = [[4, 4, 4, 4], [4, 6, 5], [4, 6, 4], [4, 4, 4, 4, 3], [4, 4, 4, 1], [19]];

function chunk(digits: string, sizes: readonly number[]): string[] {
  const groups: string[] = [];
  let at = 0;
  for (const size of sizes) {
    if (at >= digits.length) break;
    groups.push(digits.slice(at, at + size));
    at += size;
  }
  if (at < digits.length) groups.push(digits.slice(at));
  return groups;
}

function toScript(digit: string, zero: number): string {
  return String.fromCodePoint(zero + digit.charCodeAt(0) - 48);
}

export interface CardForm {
  /** The card's digits in ASCII: what must never be found, in any form, anywhere. */
  digits: string;
  /** How it was written. */
  written: string;
}

/** One card number written in one of many forms (groups, separators and scripts, each possibly mixed). */
export const cardForm: fc.Arbitrary<CardForm> = fc
  .record({
    digits: cardDigits,
    sizes: fc.oneof(
      fc.constantFrom(...STANDARD_GROUPS),
      fc.array(fc.integer({ min: 1, max: 7 }), { minLength: 19, maxLength: 19 }),
    ),
    separators: fc.oneof(
      fc.constantFrom(...SEPARATORS).map((sep) => [sep]),
      fc.array(fc.constantFrom(...SEPARATORS), { minLength: 19, maxLength: 19 }),
    ),
    zeros: fc.oneof(
      fc.constantFrom(...DIGIT_ZEROS).map((zero) => [zero]),
      fc.array(fc.constantFrom(...DIGIT_ZEROS), { minLength: 19, maxLength: 19 }),
    ),
  })
  .map(({ digits, sizes, separators, zeros }) => {
    let index = 0;
    const groups = chunk(digits, sizes).map((group) =>
      [...group].map((digit) => toScript(digit, zeros[index++ % zeros.length]!)).join(''),
    );
    const written = groups.reduce((out, group, i) => out + separators[(i - 1) % separators.length] + group);
    return { digits, written };
  });

/** Text a card is typed inside: ends and starts with something that cannot join the number. */
export const BEFORE = [
  '',
  'my card is ',
  'card: ',
  'Pay with ',
  'número de tarjeta ',
  'ok so its ',
  '«',
  'card=',
  '(',
  'x',
];
export const AFTER = ['', ' thanks', '.', ' please charge it', ')', '»', '!', ' ok?', 'x'];

/** True when the card's digits appear in `text` in any form: separators and scripts are folded away. */
export function leaksCard(text: string, digits: string): boolean {
  return foldDigits(text).includes(digits);
}
