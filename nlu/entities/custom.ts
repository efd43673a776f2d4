import { DamerauLevenshteinDistance } from 'natural/lib/natural/distance';
import type { Entity } from '../../core/nlu';
import { stripAccents } from '../text';

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

interface Token {
  norm: string;
  start: number;
  end: number;
}

function tokens(text: string): Token[] {
  return [...text.matchAll(/[\p{L}\p{N}]+/gu)].map((m) => ({
    norm: stripAccents(m[0].toLowerCase()),
    start: m.index,
    end: m.index + m[0].length,
  }));
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

export function extractRegex(text: string, definition: EntityDefinition): Entity[] {
  if (!definition.pattern) return [];
  const flags = new Set((definition.flags ?? 'i').split(''));
  flags.add('g');
  flags.add('u');
  const regex = new RegExp(definition.pattern, [...flags].join(''));
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

interface Variant {
  canonical: string;
  words: string[];
}

function variants(definition: EntityDefinition): Variant[] {
  return Object.entries(definition.synonyms ?? {}).flatMap(([canonical, list]) =>
    [canonical, ...list].map((v) => ({ canonical, words: tokens(v).map((t) => t.norm) })),
  );
}

function matchCost(span: Token[], words: string[]): number {
  let edits = 0;
  for (let i = 0; i < words.length; i++) {
    const a = span[i].norm;
    const b = words[i];
    if (a === b) continue;
    const allowed = allowedEdits(b.length);
    // The length difference is a lower bound on the distance: skip the costly comparison when it says no.
    if (Math.abs(a.length - b.length) > allowed) return -1;
    const d = DamerauLevenshteinDistance(a, b);
    if (d > allowed) return -1;
    edits += d;
  }
  return edits;
}

/**
 * Synonym lookup over word windows, tolerant to typos by Damerau-Levenshtein distance.
 * Longer and closer matches win; each word belongs to at most one match.
 */
export function extractSynonyms(text: string, definition: EntityDefinition): Entity[] {
  const words = tokens(text);
  const candidates: (Entity & { edits: number; size: number })[] = [];
  for (const variant of variants(definition)) {
    const n = variant.words.length;
    if (n === 0) continue;
    for (let i = 0; i + n <= words.length; i++) {
      const span = words.slice(i, i + n);
      const edits = matchCost(span, variant.words);
      if (edits < 0) continue;
      const length = variant.words.join('').length;
      candidates.push({
        entity: definition.name,
        value: variant.canonical,
        text: text.slice(span[0].start, span[n - 1].end),
        start: span[0].start,
        end: span[n - 1].end,
        confidence: Math.max(0, 1 - edits / length),
        extractor: 'synonyms',
        edits,
        size: n,
      });
    }
  }
  candidates.sort((a, b) => b.size - a.size || a.edits - b.edits || a.start - b.start);
  const kept: Entity[] = [];
  for (const { edits: _e, size: _s, ...entity } of candidates) {
    if (kept.some((k) => k.start < entity.end && entity.start < k.end)) continue;
    kept.push(entity);
  }
  return kept.sort((a, b) => a.start - b.start);
}
