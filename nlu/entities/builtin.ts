import * as chrono from 'chrono-node';
import { findPhoneNumbersInText, type CountryCode } from 'libphonenumber-js';
import type { Entity } from '../../core/nlu';

export interface BuiltinContext {
  language: string;
  now: Date;
  /** ISO 3166 region for phone numbers written without a country code. */
  region: CountryCode;
}

const EMAIL = /[\p{L}\p{N}._%+-]+@[\p{L}\p{N}.-]+\.\p{L}{2,}/gu;

export function extractEmails(text: string): Entity[] {
  return [...text.matchAll(EMAIL)].map((m) => ({
    entity: 'email',
    value: m[0].toLowerCase(),
    text: m[0],
    start: m.index,
    end: m.index + m[0].length,
    extractor: 'builtin',
  }));
}

/** "1,234.5" in English, "1.234,5" in Spanish. */
function parseDecimal(raw: string, language: string): number {
  const decimalComma = language === 'es' || language === 'de' || language === 'fr';
  const [thousands, decimal] = decimalComma ? ['.', ','] : [',', '.'];
  let clean = raw.split(thousands).join('');
  if (decimal === ',') clean = clean.replace(',', '.');
  return Number(clean);
}

const NUMBER =
  /(?<![\p{L}\p{N}])\d{1,3}(?:[.,]\d{3})+(?:[.,]\d+)?(?![\p{L}\p{N}])|(?<![\p{L}\p{N}.,])\d+(?:[.,]\d+)?(?![\p{L}\p{N}])/gu;

const NUMBER_WORDS: Record<string, Record<string, number>> = {
  en: {
    zero: 0,
    one: 1,
    two: 2,
    three: 3,
    four: 4,
    five: 5,
    six: 6,
    seven: 7,
    eight: 8,
    nine: 9,
    ten: 10,
    eleven: 11,
    twelve: 12,
    twenty: 20,
    thirty: 30,
    fifty: 50,
    hundred: 100,
  },
  es: {
    cero: 0,
    uno: 1,
    dos: 2,
    tres: 3,
    cuatro: 4,
    cinco: 5,
    seis: 6,
    siete: 7,
    ocho: 8,
    nueve: 9,
    diez: 10,
    once: 11,
    doce: 12,
    veinte: 20,
    treinta: 30,
    cincuenta: 50,
    cien: 100,
  },
};

export function extractNumbers(text: string, language: string): Entity[] {
  const found: Entity[] = [...text.matchAll(NUMBER)].map((m) => ({
    entity: 'number',
    value: parseDecimal(m[0], language),
    text: m[0],
    start: m.index,
    end: m.index + m[0].length,
    extractor: 'builtin',
  }));
  const words = NUMBER_WORDS[language] ?? NUMBER_WORDS.en;
  for (const m of text.matchAll(/\p{L}+/gu)) {
    const value = words[m[0].toLowerCase()];
    if (value === undefined) continue;
    found.push({
      entity: 'number',
      value,
      text: m[0],
      start: m.index,
      end: m.index + m[0].length,
      extractor: 'builtin',
    });
  }
  return found;
}

const SYMBOLS: Record<string, string> = { '£': 'GBP', $: 'USD', '€': 'EUR', '¥': 'JPY' };
const CURRENCY_WORDS: Record<string, string> = {
  gbp: 'GBP',
  pound: 'GBP',
  pounds: 'GBP',
  quid: 'GBP',
  libras: 'GBP',
  libra: 'GBP',
  usd: 'USD',
  dollar: 'USD',
  dollars: 'USD',
  dolar: 'USD',
  dólar: 'USD',
  dolares: 'USD',
  dólares: 'USD',
  eur: 'EUR',
  euro: 'EUR',
  euros: 'EUR',
};
const AMOUNT_BEFORE = /([£$€¥])\s?(\d+(?:[.,]\d+)*)/gu;
const AMOUNT_AFTER = /(\d+(?:[.,]\d+)*)\s?(\p{L}+|€)/gu;

export function extractAmounts(text: string, language: string): Entity[] {
  const found: Entity[] = [];
  const push = (raw: string, currency: string, start: number, matched: string): void => {
    found.push({
      entity: 'amount',
      value: { amount: parseDecimal(raw, language), currency },
      text: matched,
      start,
      end: start + matched.length,
      extractor: 'builtin',
    });
  };
  for (const m of text.matchAll(AMOUNT_BEFORE)) push(m[2], SYMBOLS[m[1]], m.index, m[0]);
  for (const m of text.matchAll(AMOUNT_AFTER)) {
    const currency = m[2] === '€' ? 'EUR' : CURRENCY_WORDS[m[2].toLowerCase()];
    if (currency) push(m[1], currency, m.index, m[0]);
  }
  return found;
}

export function extractPhones(text: string, region: CountryCode): Entity[] {
  return findPhoneNumbersInText(text, region)
    .filter((p) => p.number.isValid())
    .map((p) => ({
      entity: 'phone',
      value: p.number.number,
      text: text.slice(p.startsAt, p.endsAt),
      start: p.startsAt,
      end: p.endsAt,
      extractor: 'builtin',
    }));
}

const pad = (n: number, width = 2): string => String(Math.abs(n)).padStart(width, '0');

/** Local ISO 8601: a date when no time was said, else date-time with the UTC offset. */
export function isoLocal(date: Date, withTime: boolean): string {
  const day = `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
  if (!withTime) return day;
  const offset = -date.getTimezoneOffset();
  const zone =
    offset === 0
      ? 'Z'
      : `${offset > 0 ? '+' : '-'}${pad(Math.floor(Math.abs(offset) / 60))}:${pad(Math.abs(offset) % 60)}`;
  return `${day}T${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}${zone}`;
}

/**
 * chrono's English with a bare day of the month ("no, the 14th, not the 4th"), the next such day from the
 * reference (this month, or next month once it has passed). "the 3rd of July" stays chrono's.
 */
function withDayOfMonth(base: chrono.Chrono): chrono.Chrono {
  const parser = base.clone();
  parser.parsers.push({
    pattern: () =>
      /\bthe\s+(\d{1,2})(?:st|nd|rd|th)\b(?!\s+(?:of\s+)?(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec))/i,
    extract: (context, match) => {
      const day = Number(match[1]);
      if (day < 1 || day > 31) return null;
      const reference = context.refDate;
      const later = day < reference.getDate() ? 1 : 0;
      const month = new Date(reference.getFullYear(), reference.getMonth() + later, 1);
      return context
        .createParsingComponents()
        .assign('day', day)
        .imply('month', month.getMonth() + 1)
        .imply('year', month.getFullYear());
    },
  });
  return parser;
}

const PARSERS: Record<string, chrono.Chrono> = { en: withDayOfMonth(chrono.en.casual), es: chrono.es.casual };

/** chrono-es reads "por la mañana" (in the morning) as "mañana" (tomorrow). */
function misreadMorning(text: string, index: number, matched: string, language: string): boolean {
  return language === 'es' && /\bla\s+$/i.test(text.slice(0, index)) && /^mañana$/i.test(matched);
}

export function extractDates(text: string, context: BuiltinContext): Entity[] {
  const parser = PARSERS[context.language] ?? PARSERS.en;
  const seen = new Set<string>();
  const found: Entity[] = [];
  for (const r of parser.parse(text, context.now, { forwardDate: true })) {
    if (misreadMorning(text, r.index, r.text, context.language)) continue;
    const withTime = r.start.isCertain('hour');
    const value = r.end
      ? { from: isoLocal(r.start.date(), withTime), to: isoLocal(r.end.date(), r.end.isCertain('hour')) }
      : isoLocal(r.start.date(), withTime);
    // "mañana ... por la tarde" comes back as two results for one day: keep the first.
    const key = JSON.stringify(value);
    if (seen.has(key)) continue;
    seen.add(key);
    found.push({
      entity: 'datetime',
      value,
      text: r.text,
      start: r.index,
      end: r.index + r.text.length,
      extractor: 'chrono',
    });
  }
  return found;
}
