import { copyAsJson } from '../../core/json';
import type { CountryCode } from 'libphonenumber-js';
import type { Entity } from '../../core/nlu';
import { extractAmounts, extractDates, extractEmails, extractNumbers, extractPhones } from './builtin';
import {
  compileEntity,
  extractRegex,
  extractSynonyms,
  tokens,
  type CompiledEntity,
  type Token,
  type EntityDefinition,
} from './custom';
import { mayHaveDate, mayHavePhone } from './gates';
import { LruCache } from '../parse-cache';

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

/** What a message yields whatever the time: everything but dates. */
interface Timeless {
  words: Token[];
  patterns: Entity[];
  synonyms: Entity[];
  /** Emails, amounts, phones and numbers. */
  builtins: Entity[];
}

export interface EntityExtractorOptions {
  /** Timeless results kept for repeated short messages ("tomorrow", "yes", "A1001"); 0 turns it off. */
  cacheSize?: number;
}

const DEFAULT_CACHE_SIZE = 2000;

/** A cached entity handed out: a caller that edits it must not edit the cache. */
const copyEntity = (e: Entity): Entity =>
  typeof e.value === 'object' && e.value !== null
    ? { ...e, value: copyAsJson(e.value) as Entity['value'] }
    : { ...e };

/**
 * A bot's entity definitions, prepared once (regexes compiled, synonyms tokenised) and applied to each
 * message. Bot patterns beat built-ins (an 8-digit account number is not a phone or a number); synonym
 * values sit beside built-ins, since "tomorrow morning" is both a date and a time window.
 *
 * Short messages recur ("tomorrow", "morning", an order number asked for twice), so what a message yields
 * regardless of the time is kept per text, language and region; dates, which depend on the time, are
 * found afresh every time.
 */
export class EntityExtractor {
  private readonly compiled: readonly CompiledEntity[];
  private readonly timeless: LruCache<Timeless>;

  constructor(definitions: readonly EntityDefinition[], options: EntityExtractorOptions = {}) {
    this.compiled = definitions.map(compileEntity);
    this.timeless = new LruCache(options.cacheSize ?? DEFAULT_CACHE_SIZE);
  }

  extract(text: string, context: EntityContext): Entity[] {
    const found = this.timelessOf(text, context);
    const dates = mayHaveDate(text, found.words, context.language) ? extractDates(text, context) : [];
    const builtins = [...found.builtins, ...dates].sort(
      (a, b) =>
        (BUILTIN_RANK[a.entity] ?? 5) - (BUILTIN_RANK[b.entity] ?? 5) || b.end - b.start - (a.end - a.start),
    );
    const taken: Entity[] = found.patterns.map(copyEntity);
    for (const entity of builtins) {
      if (!taken.some((t) => overlaps(t, entity)))
        taken.push(entity.entity === 'datetime' ? entity : copyEntity(entity));
    }
    return [...taken, ...found.synonyms.map(copyEntity)].sort(
      (a, b) => a.start - b.start || a.entity.localeCompare(b.entity),
    );
  }

  private timelessOf(text: string, context: EntityContext): Timeless {
    return this.timeless.forMessage(
      text,
      () => `${context.language}\u0000${context.region}\u0000${text}`,
      () => this.findTimeless(text, context),
    );
  }

  private findTimeless(text: string, context: EntityContext): Timeless {
    const mine = this.compiled.filter(
      (c) => !c.definition.language || c.definition.language === context.language,
    );
    const words = tokens(text);
    return {
      words,
      patterns: mine.flatMap((c) => extractRegex(text, c)),
      synonyms: mine.flatMap((c) => extractSynonyms(text, words, c)),
      builtins: [
        ...extractEmails(text),
        ...extractAmounts(text, context.language),
        ...(mayHavePhone(text) ? extractPhones(text, context.region) : []),
        ...extractNumbers(text, context.language),
      ],
    };
  }
}

/** One-off extraction; a model keeps an `EntityExtractor` instead, so definitions are prepared once. */
export function extractEntities(
  text: string,
  definitions: readonly EntityDefinition[],
  context: EntityContext,
): Entity[] {
  return new EntityExtractor(definitions, { cacheSize: 0 }).extract(text, context);
}
