import { findPhoneNumbersInText, type CountryCode } from 'libphonenumber-js';
import { foldDigits } from './digits';

/**
 * Further classes of personal data a bot may choose to keep out of its records: e-mail addresses, phone
 * numbers, IBANs (checksum verified) and national ids (check letter or format verified). Each detector
 * replaces what it finds and reports it; all patterns are compiled once.
 */

export type Replace = (text: string, onFound: () => void) => string;

const EMAIL =
  /(?<![\p{L}\p{N}._%+-])[\p{L}\p{N}._%+-]{1,64}@[\p{L}\p{N}-]{1,63}(?:\.[\p{L}\p{N}-]{1,63})*\.\p{L}{2,24}/gu;

export function emailReplacer(placeholder: string): Replace {
  return (text, onFound) =>
    text.includes('@')
      ? text.replace(EMAIL, () => {
          onFound();
          return placeholder;
        })
      : text;
}

/** Phone numbers as libphonenumber reads them: international ones anywhere, national ones for `country`. */
export function phoneReplacer(placeholder: string, country?: CountryCode): Replace {
  return (text, onFound) => {
    const found = country ? findPhoneNumbersInText(text, country) : findPhoneNumbersInText(text);
    if (found.length === 0) return text;
    let out = '';
    let copied = 0;
    for (const { startsAt, endsAt } of found) {
      onFound();
      out += text.slice(copied, startsAt) + placeholder;
      copied = endsAt;
    }
    return out + text.slice(copied);
  };
}

/** ISO 13616: move the first four characters to the end, letters to 10–35, and the number mod 97 is 1. */
export function isIbanValid(compact: string): boolean {
  const iban = compact.toUpperCase();
  if (!/^[A-Z]{2}\d{2}[A-Z0-9]{11,30}$/.test(iban)) return false;
  let remainder = 0;
  for (const char of iban.slice(4) + iban.slice(0, 4)) {
    const code = char.charCodeAt(0);
    const value = code >= 65 ? String(code - 55) : char;
    for (const digit of value) remainder = (remainder * 10 + digit.charCodeAt(0) - 48) % 97;
  }
  return remainder === 1;
}

// A country code and check digits, then groups of letters and digits (printed in fours, or run together).
const IBAN_CANDIDATE = /(?<![\p{L}\p{N}])[A-Za-z]{2}\d{2}(?:[ -]?[A-Za-z0-9]{1,30}){1,9}/gu;

export function ibanReplacer(placeholder: string): Replace {
  return (text, onFound) =>
    text.replace(IBAN_CANDIDATE, (candidate: string) => {
      // The candidate may run on into the next word ("... 32 please"): try the longest valid prefix of groups.
      const parts = candidate.split(/([ -])/);
      for (let end = parts.length; end > 0; end -= 2) {
        const prefix = parts.slice(0, end).join('');
        if (isIbanValid(prefix.replace(/[ -]/g, ''))) {
          onFound();
          return placeholder + candidate.slice(prefix.length);
        }
      }
      return candidate;
    });
}

/** National identity numbers Parley knows how to recognise, by issuing country. */
export const NATIONAL_IDS = ['us-ssn', 'es-dni', 'es-nie', 'gb-nino'] as const;
export type NationalId = (typeof NATIONAL_IDS)[number];

const DNI_LETTERS = 'TRWAGMYFPDXBNJZSQVHLCKE';
const dniLetterOk = (digits: string, letter: string) =>
  DNI_LETTERS[Number(digits) % 23] === letter.toUpperCase();

interface IdPattern {
  pattern: RegExp;
  valid: (...groups: string[]) => boolean;
}

const EDGE_BEFORE = String.raw`(?<![\p{L}\p{Nd}])`;
const EDGE_AFTER = String.raw`(?![\p{L}\p{Nd}])`;

const ID_PATTERNS: Record<NationalId, IdPattern[]> = {
  // 123-45-6789 or 123 45 6789 (area not 000/666/9xx, group not 00, serial not 0000); bare nine digits
  // only after "SSN" or "social security (number)".
  'us-ssn': [
    {
      pattern: new RegExp(
        String.raw`${EDGE_BEFORE}(?!000|666|9)(\d{3})([- ])(?!00)\d{2}\2(?!0000)\d{4}${EDGE_AFTER}`,
        'gu',
      ),
      valid: () => true,
    },
    {
      pattern: new RegExp(
        String.raw`(?<=(?:ssn|social\s+security(?:\s+(?:number|no\.?))?)[^\p{Nd}]{0,12})${EDGE_BEFORE}\d{9}${EDGE_AFTER}`,
        'giu',
      ),
      valid: () => true,
    },
  ],
  // 8 digits and the check letter (digits mod 23): 12345678Z.
  'es-dni': [
    {
      pattern: new RegExp(String.raw`${EDGE_BEFORE}(\p{Nd}{8})[ -]?([A-Za-z])${EDGE_AFTER}`, 'gu'),
      valid: (digits = '', letter = '') => dniLetterOk(foldDigits(digits), letter),
    },
  ],
  // X, Y or Z (0, 1, 2), 7 digits and the check letter: X1234567L.
  'es-nie': [
    {
      pattern: new RegExp(
        String.raw`${EDGE_BEFORE}([XYZxyz])[ -]?(\p{Nd}{7})[ -]?([A-Za-z])${EDGE_AFTER}`,
        'gu',
      ),
      valid: (prefix = '', digits = '', letter = '') =>
        dniLetterOk(String('XYZ'.indexOf(prefix.toUpperCase())) + foldDigits(digits), letter),
    },
  ],
  // UK National Insurance number: two letters (not D, F, I, Q, U, V; second not O), six digits, A–D.
  'gb-nino': [
    {
      pattern: new RegExp(
        String.raw`${EDGE_BEFORE}(?!BG|GB|NK|KN|TN|NT|ZZ)[A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z] ?\d{2} ?\d{2} ?\d{2} ?[A-D]${EDGE_AFTER}`,
        'giu',
      ),
      valid: () => true,
    },
  ],
};

export function nationalIdReplacer(ids: readonly NationalId[], placeholder: string): Replace {
  const patterns = ids.flatMap((id) => ID_PATTERNS[id]);
  return (text, onFound) => {
    let out = text;
    for (const { pattern, valid } of patterns) {
      out = out.replace(pattern, (match: string, ...rest: unknown[]) => {
        const groups = rest.filter((item): item is string => typeof item === 'string');
        if (!valid(...groups)) return match;
        onFound();
        return placeholder;
      });
    }
    return out;
  };
}

/** Which national ids to look for in a locale's conversations ("es-ES" → DNI and NIE). */
export function nationalIdsForLocale(locale: string): NationalId[] {
  const [language = '', region = ''] = locale.toLowerCase().split(/[-_]/);
  if (region === 'us' || (language === 'en' && region === '')) return ['us-ssn'];
  if (region === 'gb' || region === 'uk') return ['gb-nino'];
  if (region === 'es' || (language === 'es' && region === '')) return ['es-dni', 'es-nie'];
  return [];
}

/** A bot's own pattern: every match is replaced by `[<label> removed]`. */
export interface BotPattern {
  label: string;
  pattern: RegExp;
}

export function patternReplacer({ pattern, label }: BotPattern): Replace {
  const flags = pattern.flags.includes('g') ? pattern.flags : `${pattern.flags}g`;
  const global = new RegExp(pattern.source, flags);
  const placeholder = `[${label} removed]`;
  return (text, onFound) =>
    text.replace(global, () => {
      onFound();
      return placeholder;
    });
}
