import type { CountryCode } from 'libphonenumber-js';
import type { Entity } from '../../core/nlu';
import { extractAmounts, extractDates, extractEmails, extractNumbers, extractPhones } from './builtin';
import { extractRegex, extractSynonyms, type EntityDefinition } from './custom';

export type { EntityDefinition } from './custom';
export { allowedEdits } from './custom';
export { isoLocal } from './builtin';

export interface EntityContext {
  language: string;
  now: Date;
  region: CountryCode;
}

/** Built-in extractors, strongest first: a weaker one never claims text a stronger one took. */
const BUILTIN_ORDER = ['email', 'amount', 'phone', 'datetime', 'number'];

const overlaps = (a: Entity, b: Entity): boolean => a.start < b.end && b.start < a.end;

/**
 * Bot patterns beat built-ins (an 8-digit account number is not a phone or a number);
 * synonym values sit beside built-ins, since "tomorrow morning" is both a date and a time window.
 */
export function extractEntities(
  text: string,
  definitions: readonly EntityDefinition[],
  context: EntityContext,
): Entity[] {
  const mine = definitions.filter((d) => !d.language || d.language === context.language);
  const patterns = mine.flatMap((d) => extractRegex(text, d));
  const synonyms = mine.flatMap((d) => extractSynonyms(text, d));
  const builtins = [
    ...extractEmails(text),
    ...extractAmounts(text, context.language),
    ...extractPhones(text, context.region),
    ...extractDates(text, context),
    ...extractNumbers(text, context.language),
  ].sort(
    (a, b) =>
      BUILTIN_ORDER.indexOf(a.entity) - BUILTIN_ORDER.indexOf(b.entity) ||
      b.end - b.start - (a.end - a.start),
  );
  const taken: Entity[] = [...patterns];
  for (const entity of builtins) {
    if (!taken.some((t) => overlaps(t, entity))) taken.push(entity);
  }
  return [...taken, ...synonyms].sort((a, b) => a.start - b.start || a.entity.localeCompare(b.entity));
}
