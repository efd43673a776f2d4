/**
 * A JSGF grammar from a bot's own training data, so pocketsphinx listens for what the bot understands: every
 * training phrase (with entity values swapped for rules that accept any value of the entity's shape: an order
 * number is "a" and four digits), the entity of the slot being asked on its own, and the phrases a turn hints
 * at. Words the pronunciation dictionary lacks cannot be recognised, so phrases using them are left
 * out (and reported).
 */
import type { EntityDefinition } from '../../nlu/entities';
import type { TrainingData } from '../../nlu/loader';
import { DIGIT_WORDS, spokenWords } from '../spoken';

export interface GrammarInput {
  training: TrainingData;
  /** BCP 47 primary tag of the phrases to use (the acoustic model's language). */
  language: string;
  /** Words the recogniser can pronounce. */
  dictionary: ReadonlySet<string>;
  /** Extra phrases for this turn (the port's hints). */
  hints?: readonly string[];
  /**
   * The slot being asked: its entity may then be said on its own ("A one zero zero one"). Bare entity rules
   * are left out otherwise, since they would soak up any unclear speech as a code.
   */
  slot?: string;
}

export interface Grammar {
  /** JSGF text for `pocketsphinx_continuous -jsgf`. */
  jsgf: string;
  /** How many distinct phrases it accepts (entity rules counted once). */
  phrases: number;
  /** Phrases left out, with the words the dictionary lacks. */
  skipped: { phrase: string; unknown: string[] }[];
}

const LETTERS = 'abcdefghijklmnopqrstuvwxyz';

/** Names the rules the entity shapes use. */
const BASE_RULES = [`<digit> = ${DIGIT_WORDS.join(' | ')} | oh;`, `<letter> = ${[...LETTERS].join(' | ')};`];

export function buildGrammar({ training, language, dictionary, hints = [], slot }: GrammarInput): Grammar {
  const entities = training.entities.filter((e) => !e.language || e.language === language);
  const entityRules = new Map<string, string>();
  for (const entity of entities) {
    const expansion = entity.pattern
      ? patternExpansion(entity.pattern)
      : synonymExpansion(entity, dictionary);
    if (expansion) entityRules.set(entity.name, expansion);
  }
  const alternatives = new Set<string>();
  const skipped: Grammar['skipped'] = [];
  const texts = [...training.examples.filter((e) => e.language === language).map((e) => e.text), ...hints];
  for (const text of texts) {
    const words = phraseWords(text, entities, entityRules);
    const unknown = words.filter((w) => !w.startsWith('<') && !dictionary.has(w));
    if (unknown.length > 0) skipped.push({ phrase: text, unknown: [...new Set(unknown)] });
    else if (words.length > 0) alternatives.add(words.join(' '));
  }
  if (slot && entityRules.has(slot)) alternatives.add(`<${slot}>`);
  const rules = [...entityRules].map(([name, expansion]) => `<${name}> = ${expansion};`);
  const jsgf = [
    '#JSGF V1.0;',
    'grammar parley;',
    `public <utterance> = ${[...alternatives].join('\n  | ')};`,
    ...BASE_RULES,
    ...rules,
    '',
  ].join('\n');
  return { jsgf, phrases: alternatives.size, skipped };
}

/** A phrase's words, with each entity value it contains replaced by the entity's rule. */
function phraseWords(
  text: string,
  entities: readonly EntityDefinition[],
  entityRules: ReadonlyMap<string, string>,
): string[] {
  let marked = text;
  for (const entity of entities) {
    if (!entity.pattern || !entityRules.has(entity.name)) continue;
    const flags = new Set([...(entity.flags ?? 'i'), 'g', 'u']);
    const regex = new RegExp(entity.pattern, [...flags].join(''));
    marked = marked.replace(regex, ` __${entity.name}__ `);
  }
  return marked
    .split(/(__\w+?__)/)
    .flatMap((part) => {
      const ref = /^__(\w+?)__$/.exec(part);
      return ref ? [`<${ref[1]}>`] : spokenWords(part);
    })
    .filter((w) => w.length > 0);
}

function synonymExpansion(entity: EntityDefinition, dictionary: ReadonlySet<string>): string | undefined {
  const phrases = Object.entries(entity.synonyms ?? {})
    .flatMap(([value, synonyms]) => [value, ...synonyms])
    .map((p) => spokenWords(p))
    .filter((words) => words.length > 0 && words.every((w) => dictionary.has(w)))
    .map((words) => words.join(' '));
  return phrases.length > 0 ? [...new Set(phrases)].join(' | ') : undefined;
}

/**
 * The spoken shape of a simple entity pattern: literal characters, `\d`, character classes and counted
 * repeats (`\b[Aa]\d{4}\b` → `a <digit> <digit> <digit> <digit>`). Groups, alternation and wildcards have no
 * shape to speak: the entity is then only heard through the training phrases' own values.
 */
export function patternExpansion(pattern: string): string | undefined {
  const parts: string[] = [];
  const atom = /\\b|\\s|\s|\^|\$|\\d|\\w|\[(?:\\.|[^\]])+\]|[A-Za-z0-9]|./gy;
  for (let match = atom.exec(pattern); match; match = atom.exec(pattern)) {
    const spoken = atomExpansion(match[0]);
    if (spoken === undefined) return undefined;
    const quantifier = /\{(\d+)(?:,(\d*))?\}|\?|\*|\+/y;
    quantifier.lastIndex = atom.lastIndex;
    const q = quantifier.exec(pattern);
    if (q) atom.lastIndex = quantifier.lastIndex;
    if (spoken === '') continue;
    const [min, max] = q ? repeatBounds(q) : [1, 1];
    for (let i = 0; i < max; i++) parts.push(i < min ? spoken : `[${spoken}]`);
  }
  return parts.length > 0 ? parts.join(' ') : undefined;
}

/** '' for atoms that say nothing (word boundaries, spaces); undefined for what cannot be spoken. */
function atomExpansion(atom: string): string | undefined {
  if (['\\b', '\\s', ' ', '^', '$'].includes(atom)) return '';
  if (atom === '\\d') return '<digit>';
  if (atom === '\\w') return '(<letter> | <digit>)';
  if (/^[A-Za-z]$/.test(atom)) return atom.toLowerCase();
  if (/^\d$/.test(atom)) return DIGIT_WORDS[Number(atom)];
  if (atom.startsWith('[') && !atom.startsWith('[^')) return classExpansion(atom.slice(1, -1));
  return undefined;
}

function classExpansion(body: string): string | undefined {
  const letters = new Set<string>();
  const digits = new Set<string>();
  const items = body.replace(/\\d/g, '0-9').match(/.-.|\\.|./g) ?? [];
  for (const item of items) {
    const [from, to] = item.length === 3 ? [item[0], item[2]] : [item.at(-1) ?? '', item.at(-1) ?? ''];
    for (let c = from.charCodeAt(0); c <= to.charCodeAt(0); c++) {
      const ch = String.fromCharCode(c).toLowerCase();
      if (/[a-z]/.test(ch)) letters.add(ch);
      else if (/\d/.test(ch)) digits.add(ch);
      else if (!/\s/.test(ch)) return undefined;
    }
  }
  const options = [
    ...(letters.size === 26 ? ['<letter>'] : [...letters]),
    ...(digits.size === 10 ? ['<digit>'] : [...digits].map((d) => DIGIT_WORDS[Number(d)])),
  ];
  if (options.length === 0) return undefined;
  return options.length === 1 ? options[0] : `(${options.join(' | ')})`;
}

/** Open-ended repeats are capped: nobody spells more than a dozen characters of one code. */
function repeatBounds(q: RegExpExecArray): [number, number] {
  if (q[0] === '?') return [0, 1];
  if (q[0] === '*') return [0, 12];
  if (q[0] === '+') return [1, 12];
  const min = Number(q[1]);
  const max = q[2] === undefined ? min : q[2] === '' ? min + 12 : Number(q[2]);
  return [min, max];
}
