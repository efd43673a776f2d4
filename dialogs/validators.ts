import type { ValidatorImplementation } from './types';

const ISO_DATE = /^\d{4}-\d{2}-\d{2}/;
const DAY_MS = 24 * 60 * 60 * 1000;

function startOfDay(epochMs: number): number {
  return Math.floor(epochMs / DAY_MS) * DAY_MS;
}

function isoDay(value: unknown): number | undefined {
  if (typeof value !== 'string' || !ISO_DATE.test(value)) return undefined;
  const time = Date.parse(value.slice(0, 10));
  return Number.isNaN(time) ? undefined : time;
}

/**
 * Validators every bot gets, by name. A slot whose entity has the same name as one of these is checked
 * by it even without `validate:`, so an NLU slip never fills a slot with nonsense.
 */
export const BUILTIN_VALIDATORS: Record<string, ValidatorImplementation> = {
  email: (value) => typeof value === 'string' && /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(value),
  date: (value) => isoDay(value) !== undefined,
  /** A date after today (the turn's today, in UTC). */
  futureDate: (value, { now }) => {
    const day = isoDay(value);
    return day !== undefined && day > startOfDay(now);
  },
  number: (value) => typeof value === 'number' && Number.isFinite(value),
  phone: (value) => typeof value === 'string' && /^\+[1-9]\d{6,14}$/.test(value),
  postcode: (value) => typeof value === 'string' && /^[A-Z]{1,2}\d[A-Z\d]? ?\d[A-Z]{2}$/i.test(value.trim()),
};
