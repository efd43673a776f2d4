import type { Entity } from '../../core/nlu';
import { stripAccents } from '../text';
import { boundedDamerauLevenshtein, letterMask, mayBeWithin } from './distance';

/** A bot-defined entity: a regular expression, or canonical values with their synonyms. */
export interface EntityDefinition {
  name: string;
  /** Only for messages in this language; every language when absent. */
  language?: string;
  pattern?: string;
  /** Regex flags; `i` by default. */
  flags?: string;
  synonyms?: Record<string, string[]>;
  /** Case folding of a regex value, so "a1001" and "A1001" look the same to a dialog. */
  case?: 'upper' | 'lower';
}

export interface Token {
  /** Lower case, accents stripped. */
  norm: string;
  /** `letterMask(norm)`: most synonym comparisons end on it. */
  mask: number;
  start: number;
  end: number;
}

const WORD = /[\p{L}\p{N}]+/gu;
const NON_ASCII = /[^\p{ASCII}]/u;

/** Words of a message, each once: synonym matching and the date gate share them. */
export function tokens(text: string): Token[] {
  // NFKD leaves ASCII as it is: most messages skip the normalisation.
  const ascii = !NON_ASCII.test(text);
  const found: Token[] = [];
  for (const m of text.matchAll(WORD)) {
    const lower = m[0].toLowerCase();
    const norm = ascii ? lower : stripAccents(lower);
    found.push({
      norm,
      mask: letterMask(norm),
      start: m.index,
      end: m.index + m[0].length,
    });
  }
  return found;
}

/** Edits allowed grow with length: short words must match exactly, "afternoon" may lose two letters. */
export function allowedEdits(length: number): number {
  if (length >= 9) return 2;
  if (length >= 4) return 1;
  return 0;
}

function foldCase(value: string, mode: EntityDefinition['case']): string {
  if (mode === 'upper') return value.toUpperCase();
  if (mode === 'lower') return value.toLowerCase();
  return value;
}

interface Variant {
  canonical: string;
  words: string[];
  masks: number[];
  /** Letters in the variant, the denominator of a match's confidence. */
  letters: number;
}

/** A definition prepared once, when the model loads: its regex compiled, its synonyms tokenised. */
export interface CompiledEntity {
  definition: EntityDefinition;
  regex?: RegExp;
  variants: Variant[];
}

export function compileEntity(definition: EntityDefinition): CompiledEntity {
  const compiled: CompiledEntity = { definition, variants: variants(definition) };
  if (definition.pattern) {
    const flags = new Set((definition.flags ?? 'i').split(''));
    flags.add('g');
    flags.add('u');
    compiled.regex = new RegExp(definition.pattern, [...flags].join(''));
  }
  return compiled;
}

export function extractRegex(text: string, { definition, regex }: CompiledEntity): Entity[] {
  if (!regex) return [];
  // matchAll works on a copy of the regex, so the shared one keeps no `lastIndex` between messages.
  return [...text.matchAll(regex)]
    .filter((m) => m[0].length > 0)
    .map((m) => ({
      entity: definition.name,
      // A named group `value` picks the part to keep, e.g. the digits after "no.".
      value: foldCase(m.groups?.value ?? m[0], definition.case),
      text: m[0],
      start: m.index,
      end: m.index + m[0].length,
      extractor: 'regex',
    }));
}

function variants(definition: EntityDefinition): Variant[] {
  return Object.entries(definition.synonyms ?? {}).flatMap(([canonical, list]) =>
    [canonical, ...list].map((v) => {
      const found = tokens(v);
      const words = found.map((t) => t.norm);
      return { canonical, words, masks: found.map((t) => t.mask), letters: words.join('').length };
    }),
  );
}

/** Edits to turn the message's words from `from` on into the variant's, or -1 if too many. */
function matchCost(words: readonly Token[], from: number, variant: Variant): number {
  let edits = 0;
  for (let i = 0; i < variant.words.length; i++) {
    const word = words[from + i];
    const a = word.norm;
    const b = variant.words[i];
    if (a === b) continue;
    const allowed = allowedEdits(b.length);
    // The length difference gates the comparison (as it always has), then the letters, then the distance.
    if (Math.abs(a.length - b.length) > allowed) return -1;
    if (!mayBeWithin(word.mask, variant.masks[i], allowed)) return -1;
    const d = boundedDamerauLevenshtein(a, b, allowed);
    if (d > allowed) return -1;
    edits += d;
  }
  return edits;
}

/**
 * Synonym lookup over word windows, tolerant to typos by Damerau-Levenshtein distance.
 * Longer and closer matches win; each word belongs to at most one match.
 */
export function extractSynonyms(
  text: string,
  words: readonly Token[],
  { definition, variants }: CompiledEntity,
): Entity[] {
  const candidates: (Entity & { edits: number; size: number })[] = [];
  for (const variant of variants) {
    const n = variant.words.length;
    if (n === 0) continue;
    for (let i = 0; i + n <= words.length; i++) {
      const edits = matchCost(words, i, variant);
      if (edits < 0) continue;
      const start = words[i].start;
      const end = words[i + n - 1].end;
      candidates.push({
        entity: definition.name,
        value: variant.canonical,
        text: text.slice(start, end),
        start,
        end,
        confidence: Math.max(0, 1 - edits / variant.letters),
        extractor: 'synonyms',
        edits,
        size: n,
      });
    }
  }
  if (candidates.length === 0) return [];
  candidates.sort((a, b) => b.size - a.size || a.edits - b.edits || a.start - b.start);
  const kept: Entity[] = [];
  for (const { edits: _e, size: _s, ...entity } of candidates) {
    if (kept.some((k) => k.start < entity.end && entity.start < k.end)) continue;
    kept.push(entity);
  }
  return kept.sort((a, b) => a.start - b.start);
}
