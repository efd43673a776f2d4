import type { JsonObject, JsonValue } from '../core/json';

/**
 * Reply templates: `Order {order_number} is {order.status}`, `on {date|date}`. Values are inserted as they
 * are (channels render text as text, so nothing is escaped). A missing value leaves the placeholder
 * visible rather than saying something false.
 */

const PLACEHOLDER = /\{([A-Za-z][\w.-]*)(?:\|([a-z]+))?\}/g;

// Dates are shown in UTC: the NLU normalises to ISO strings and the services answer in UTC. Building an
// Intl.DateTimeFormat costs far more than formatting with one, so each format is built once.
const utc = (options: Intl.DateTimeFormatOptions) =>
  new Intl.DateTimeFormat('en-GB', { ...options, timeZone: 'UTC' });
const DATE = utc({ weekday: 'long', day: 'numeric', month: 'long' });
const TIME = utc({ hour: '2-digit', minute: '2-digit' });
const DATETIME = utc({ weekday: 'long', day: 'numeric', month: 'long', hour: '2-digit', minute: '2-digit' });

const FORMATS: Record<string, (value: JsonValue) => string | undefined> = {
  date: (value) => formatIso(value, DATE),
  time: (value) => formatIso(value, TIME),
  datetime: (value) => formatIso(value, DATETIME),
  money: (value) => (typeof value === 'number' ? value.toFixed(2) : undefined),
};

export const TEMPLATE_FORMATS = Object.keys(FORMATS);

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

export function renderTemplate(template: string, scope: JsonObject): string {
  return template.replace(PLACEHOLDER, (whole, path: string, format: string | undefined) => {
    const value = lookupPath(scope, path);
    if (value === undefined || value === null) return whole;
    const formatted = format ? FORMATS[format]?.(value) : undefined;
    return formatted ?? show(value);
  });
}

/** The placeholders of a template, for static checks: the root name and the format, if any. */
export function placeholders(template: string): Array<{ root: string; format?: string }> {
  return [...template.matchAll(PLACEHOLDER)].map((match) => ({
    root: match[1].split('.')[0],
    format: match[2],
  }));
}
