import type { JsonObject, JsonValue } from '../core/json';

/**
 * Reply templates: `Order {order_number} is {order.status}`, `on {date|date}`. Values are inserted as they
 * are (channels render text as text, so nothing is escaped). A missing value leaves the placeholder
 * visible rather than saying something false.
 */

const PLACEHOLDER = /\{([A-Za-z][\w.-]*)(?:\|([a-z]+))?\}/g;

// Dates are shown in UTC: the NLU normalises to ISO strings and the services answer in UTC. Building an
// Intl.DateTimeFormat costs far more than formatting with one, so each locale's formats are built once.
type Format = (value: JsonValue) => string | undefined;

const formatCache = new Map<string, Record<string, Format>>();

/** English dates read the British way ("Monday 5 January"), as they always have. */
const intlLocale = (locale: string): string => (locale === 'en' ? 'en-GB' : locale);

function formatsFor(locale: string): Record<string, Format> {
  const cached = formatCache.get(locale);
  if (cached) return cached;
  const tag = intlLocale(locale);
  const utc = (options: Intl.DateTimeFormatOptions) =>
    new Intl.DateTimeFormat(tag, { ...options, timeZone: 'UTC' });
  const date = utc({ weekday: 'long', day: 'numeric', month: 'long' });
  const time = utc({ hour: '2-digit', minute: '2-digit' });
  const datetime = utc({
    weekday: 'long',
    day: 'numeric',
    month: 'long',
    hour: '2-digit',
    minute: '2-digit',
  });
  const money = new Intl.NumberFormat(tag, {
    minimumFractionDigits: 2,
    maximumFractionDigits: 2,
    useGrouping: false,
  });
  const formats: Record<string, Format> = {
    date: (value) => formatIso(value, date),
    time: (value) => formatIso(value, time),
    datetime: (value) => formatIso(value, datetime),
    money: (value) => (typeof value === 'number' ? money.format(value) : undefined),
  };
  formatCache.set(locale, formats);
  return formats;
}

export const TEMPLATE_FORMATS = Object.keys(formatsFor('en'));

function formatIso(value: JsonValue, format: Intl.DateTimeFormat): string | undefined {
  if (typeof value !== 'string') return undefined;
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) return undefined;
  return format.format(date);
}

function lookupPath(scope: JsonObject, path: string): JsonValue | undefined {
  let current: JsonValue | undefined = scope;
  for (const key of path.split('.')) {
    if (current === null || typeof current !== 'object' || Array.isArray(current)) return undefined;
    current = current[key];
  }
  return current;
}

function show(value: JsonValue): string {
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return value.map(show).join(', ');
  return typeof value === 'object' && value !== null ? JSON.stringify(value) : String(value);
}

/** How a plain value reads in the customer's language (`morning` → `por la mañana`), if it has a label. */
export type ValueLabel = (path: string, value: string) => string | undefined;

/**
 * Fills a template; dates and amounts are written the way `locale` writes them (`en` by default), and
 * string values go through `label` (the catalogue's `values.<path>.<value>`) when given.
 */
export function renderTemplate(
  template: string,
  scope: JsonObject,
  locale = 'en',
  label?: ValueLabel,
): string {
  const formats = formatsFor(locale);
  return template.replace(PLACEHOLDER, (whole, path: string, format: string | undefined) => {
    const value = lookupPath(scope, path);
    if (value === undefined || value === null) return whole;
    const formatted = format ? formats[format]?.(value) : undefined;
    const labelled = !format && typeof value === 'string' ? label?.(path, value) : undefined;
    return formatted ?? labelled ?? show(value);
  });
}

/** The placeholders of a template, for static checks: the root name and the format, if any. */
export function placeholders(template: string): Array<{ root: string; format?: string }> {
  return [...template.matchAll(PLACEHOLDER)].map((match) => ({
    root: match[1].split('.')[0],
    format: match[2],
  }));
}
