import type { LanguageGuess } from '../core/locale';
import { stripAccents } from './text';

/**
 * Naive Bayes over character trigrams, learned from the bot's own phrases in each language.
 * Enough to tell a bot's languages apart per message; no outside model is needed.
 */
export interface LanguageGuesserState {
  languages: string[];
  counts: Record<string, Record<string, number>>;
  totals: Record<string, number>;
}

function trigrams(text: string): string[] {
  const clean = ` ${stripAccents(text.toLowerCase())
    .replace(/[^\p{L}ñ]+/gu, ' ')
    .trim()} `;
  const out: string[] = [];
  for (let i = 0; i + 3 <= clean.length; i++) out.push(clean.slice(i, i + 3));
  return out;
}

/**
 * Frequent words per language, mixed into the bot's phrases so that short messages with no
 * trigram the bot has seen still lean the right way.
 */
const SEEDS: Record<string, string> = {
  en: 'the and you that was for are with his they this have from one had word but not what all were when your can said there use each which she how their will other about out many then them these some her would make like him into time has look two more write see number way could people than first been call who its now find long down day did get come made may part hello hi please thanks my is it to of in no yes',
  es: 'el la de que y en un ser se no haber por con su para como estar tener le lo todo pero más hacer o poder decir este ir otro ese si me ya ver porque dar cuando muy sin vez mucho saber qué sobre mi alguno mismo yo también hasta año dos querer entre así primero desde grande eso ni nos llegar pasar tiempo ella sí día uno bien poco deber entonces poner cosa tanto hombre parecer nuestro tan donde ahora parte después vida quedar siempre creer hablar llevar dejar nada cada seguir menos nuevo encontrar hola gracias por favor está mi cuenta',
};

export class LanguageGuesser {
  private readonly vocabulary: Record<string, number> = {};

  private constructor(private readonly state: LanguageGuesserState) {
    for (const language of state.languages)
      this.vocabulary[language] = Object.keys(state.counts[language]).length + 1;
  }

  static train(phrases: readonly { text: string; language: string }[]): LanguageGuesser {
    const state: LanguageGuesserState = { languages: [], counts: {}, totals: {} };
    const languages = new Set(phrases.map((p) => p.language));
    const seeded = [...languages]
      .filter((l) => SEEDS[l])
      .map((language) => ({ text: SEEDS[language], language }));
    for (const { text, language } of [...phrases, ...seeded]) {
      if (!state.counts[language]) {
        state.languages.push(language);
        state.counts[language] = {};
        state.totals[language] = 0;
      }
      const counts = state.counts[language];
      for (const g of trigrams(text)) {
        counts[g] = (counts[g] ?? 0) + 1;
        state.totals[language]++;
      }
    }
    return new LanguageGuesser(state);
  }

  static fromState(state: LanguageGuesserState): LanguageGuesser {
    return new LanguageGuesser(state);
  }

  toState(): LanguageGuesserState {
    return this.state;
  }

  get languages(): string[] {
    return this.state.languages;
  }

  /** The most likely language, or `fallback` when the text has no letters to go on. */
  guess(text: string, fallback: string): string {
    return this.weigh(text)?.language ?? fallback;
  }

  /**
   * The most likely language with its posterior probability and how many words backed it; undefined when
   * the text has no letters. `core/locale.ts` decides whether that is enough to switch language.
   */
  weigh(text: string): LanguageGuess | undefined {
    const { languages, counts, totals } = this.state;
    // E-mail addresses, links and codes (A1001, SW1A 1AA) read as any language: only prose counts.
    const prose = text.replace(/\S+@\S+|https?:\/\/\S+|\S*\d\S*/g, ' ');
    const all = trigrams(prose);
    if (all.length === 0 || languages.length === 0) return undefined;
    const words = (stripAccents(prose.toLowerCase()).match(/\p{L}{2,}/gu) ?? []).length;
    const share = (language: string): number =>
      all.filter((g) => counts[language][g] !== undefined).length / all.length;
    if (languages.length === 1)
      return { language: languages[0], confidence: 1, words, coverage: share(languages[0]) };
    // Trigrams no language has seen carry no evidence, only smoothing bias towards the smaller corpus:
    // without this, gibberish reads as the bot's least-trained language.
    const grams = all.filter((g) => languages.some((language) => counts[language][g] !== undefined));
    const scores = languages.map((language) => {
      const vocabulary = this.vocabulary[language];
      let score = 0;
      for (const g of grams)
        score += Math.log(((counts[language][g] ?? 0) + 1) / (totals[language] + vocabulary));
      return score;
    });
    const best = scores.indexOf(Math.max(...scores));
    // Softmax over the log-likelihoods, shifted by the best for numerical safety.
    const sum = scores.reduce((total, score) => total + Math.exp(score - scores[best]), 0);
    const language = languages[best];
    return { language, confidence: 1 / sum, words, coverage: share(language) };
  }
}
