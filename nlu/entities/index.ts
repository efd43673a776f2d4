import type { CountryCode } from 'libphonenumber-js';
import type { Entity } from '../../core/nlu';
import { extractAmounts, extractDates, extractEmails, extractNumbers, extractPhones } from './builtin';
import {
  compileEntity,
  extractRegex,
  extractSynonyms,
  tokens,
  type CompiledEntity,
  type EntityDefinition,
} from './custom';
import { mayHaveDate, mayHavePhone } from './gates';

export type { EntityDefinition } from './custom';
export { allowedEdits } from './custom';
export { isoLocal } from './builtin';

export interface EntityContext {
  language: string;
  now: Date;
  region: CountryCode;
}

/** Built-in extractors, strongest first: a weaker one never claims text a stronger one took. */
const BUILTIN_RANK: Record<string, number> = { email: 0, amount: 1, phone: 2, datetime: 3, number: 4 };

const overlaps = (a: Entity, b: Entity): boolean => a.start < b.end && b.start < a.end;

/**
 * A bot's entity definitions, prepared once (regexes compiled, synonyms tokenised) and applied to each
 * message. Bot patterns beat built-ins (an 8-digit account number is not a phone or a number); synonym
 * values sit beside built-ins, since "tomorrow morning" is both a date and a time window.
 */
export class EntityExtractor {
  private readonly compiled: readonly CompiledEntity[];

  constructor(definitions: readonly EntityDefinition[]) {
    this.compiled = definitions.map(compileEntity);
  }

  extract(text: string, context: EntityContext): Entity[] {
    const mine = this.compiled.filter(
      (c) => !c.definition.language || c.definition.language === context.language,
    );
    const words = tokens(text);
    const patterns = mine.flatMap((c) => extractRegex(text, c));
    const synonyms = mine.flatMap((c) => extractSynonyms(text, words, c));
    const builtins = [
      ...extractEmails(text),
      ...extractAmounts(text, context.language),
      ...(mayHavePhone(text) ? extractPhones(text, context.region) : []),
      ...(mayHaveDate(text, words, context.language) ? extractDates(text, context) : []),
      ...extractNumbers(text, context.language),
    ].sort(
      (a, b) =>
        (BUILTIN_RANK[a.entity] ?? 5) - (BUILTIN_RANK[b.entity] ?? 5) || b.end - b.start - (a.end - a.start),
    );
    const taken: Entity[] = [...patterns];
    for (const entity of builtins) {
      if (!taken.some((t) => overlaps(t, entity))) taken.push(entity);
    }
    return [...taken, ...synonyms].sort((a, b) => a.start - b.start || a.entity.localeCompare(b.entity));
  }
}

/** One-off extraction; a model keeps an `EntityExtractor` instead, so definitions are prepared once. */
export function extractEntities(
  text: string,
  definitions: readonly EntityDefinition[],
  context: EntityContext,
): Entity[] {
  return new EntityExtractor(definitions).extract(text, context);
}
