/**
 * A phone keypad has digits only. A code that always starts with the same letters (`\b[Aa]\d{4}\b`: A1001)
 * can still be keyed: the caller keys the digits, and the letters the entity's pattern fixes are put in front.
 */
import type { EntityDefinition } from '../../nlu/entities/custom';
import { patternExpansion } from '../../speech/pocketsphinx/grammar';

/** What to put in front of keyed digits, per entity, and the pattern the result must match. */
export type KeypadForms = Readonly<Record<string, { prefix: string; pattern: RegExp }>>;

/** The entities whose pattern is fixed letters then digits only, with those letters. */
export function keypadForms(entities: readonly EntityDefinition[]): KeypadForms {
  const forms: Record<string, { prefix: string; pattern: RegExp }> = {};
  for (const entity of entities) {
    const expansion = entity.pattern ? patternExpansion(entity.pattern) : undefined;
    const match = expansion && /^((?:[a-z] )+)((?:\[?<digit>\]? ?)+)$/.exec(expansion);
    if (!entity.pattern || !match?.[1]) continue;
    const letters = match[1].replace(/ /g, '');
    forms[entity.name] = {
      prefix: entity.case === 'lower' ? letters : letters.toUpperCase(),
      pattern: new RegExp(entity.pattern, (entity.flags ?? 'i').replace(/[gy]/g, '')),
    };
  }
  return forms;
}

/** Keyed digits as the asked entity's value: with its letters in front when only that form matches. */
export function keyedValue(digits: string, form: KeypadForms[string] | undefined): string {
  if (!form || form.pattern.test(digits)) return digits;
  const prefixed = `${form.prefix}${digits}`;
  return form.pattern.test(prefixed) ? prefixed : digits;
}
