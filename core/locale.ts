/**
 * Which language a turn is in. Pure: the NLU (which owns the language guesser) and the pipeline both ask
 * this one function, so the rule lives in one place.
 *
 * 1. A locale the channel states (`Message.locale`, e.g. an Alexa request's `es-ES`) wins when the bot
 *    speaks its language.
 * 2. Otherwise the guesser's answer, but only when the message gives it enough to go on: a conversation
 *    keeps its language through "ok", "sí" or "A1001", and switches on a real sentence in another language.
 * 3. Otherwise the conversation's language so far, else the bot's default.
 */

/** The language guesser's verdict on one message. */
export interface LanguageGuess {
  /** BCP 47 primary tag, e.g. `es`. */
  language: string;
  /** Posterior probability of `language` among the bot's languages, in [0, 1]. */
  confidence: number;
  /** Words of two or more letters in the message: how much evidence there was. */
  words: number;
  /** Share of the message's letter trigrams the guesser has seen in `language` (gibberish scores low). */
  coverage: number;
}

export interface LocaleEvidence {
  /** What the channel says the customer's locale is, if anything. */
  stated?: string;
  /** The language guesser's view of this message, when there is text. */
  guess?: LanguageGuess;
  /** The conversation's language so far (the previous turn's choice). */
  current?: string;
  /** The bot's default language. */
  fallback: string;
  /** Languages the bot can understand; a stated locale outside them is ignored. All when absent. */
  supported?: readonly string[];
}

/** How much a guess must show before it is trusted. */
export interface Hysteresis {
  /** To set the language of a conversation that has none yet. */
  first: Bar;
  /** To switch a conversation away from its current language. */
  change: Bar;
}

interface Bar {
  words: number;
  confidence: number;
  coverage: number;
}

export const DEFAULT_HYSTERESIS: Hysteresis = {
  first: { words: 1, confidence: 0.9, coverage: 0.5 },
  change: { words: 3, confidence: 0.95, coverage: 0.7 },
};

/** `es-MX` → `es`. */
export function languageOf(locale: string): string {
  return locale.split(/[-_]/)[0].toLowerCase();
}

/** The language of a turn, following the rule above. Returns a primary tag (`en`, `es`). */
export function chooseLocale(evidence: LocaleEvidence, hysteresis: Hysteresis = DEFAULT_HYSTERESIS): string {
  const speaks = (language: string): boolean =>
    evidence.supported === undefined || evidence.supported.includes(language);
  const stated = evidence.stated ? languageOf(evidence.stated) : undefined;
  if (stated && speaks(stated)) return stated;
  const current = evidence.current ? languageOf(evidence.current) : undefined;
  const base = current && speaks(current) ? current : languageOf(evidence.fallback);
  const { guess } = evidence;
  if (!guess || guess.language === base || !speaks(guess.language)) return base;
  const bar = current ? hysteresis.change : hysteresis.first;
  const enough =
    guess.words >= bar.words && guess.confidence >= bar.confidence && guess.coverage >= bar.coverage;
  return enough ? guess.language : base;
}
