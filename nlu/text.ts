import { AggressiveTokenizer, AggressiveTokenizerEs } from 'natural/lib/natural/tokenizers';
import { PorterStemmer, PorterStemmerEs } from 'natural/lib/natural/stemmers';

/** What the classifier needs from a language: how to split words and fold their endings. */
export interface LanguageTools {
  tokenize(text: string): string[];
  stem(token: string): string;
}

interface Tokenizer {
  tokenize(text: string): string[];
}
interface Stemmer {
  stem(token: string): string;
}

const COMBINING_MARKS = /[\u0300-\u036f]/g;

/** Accents are dropped after stemming: customers often type "contrasena" for "contraseña". */
export function stripAccents(text: string): string {
  return text.normalize('NFKD').replace(COMBINING_MARKS, '');
}

function makeTools(tokenizer: Tokenizer, stemmer: Stemmer): LanguageTools {
  // Stemming is the slowest step of featurising; a bounded cache keeps repeats cheap.
  const cache = new Map<string, string>();
  return {
    tokenize: (text) => tokenizer.tokenize(text.toLowerCase()).filter((t) => t.length > 0),
    stem(token) {
      let stem = cache.get(token);
      if (stem === undefined) {
        stem = stripAccents(stemmer.stem(token));
        if (cache.size > 200_000) cache.clear();
        cache.set(token, stem);
      }
      return stem;
    },
  };
}

const english = (): LanguageTools => {
  const tokenizer = new AggressiveTokenizer();
  // natural's English tokenizer only knows ASCII letters, so accents are folded first.
  return makeTools({ tokenize: (text) => tokenizer.tokenize(stripAccents(text)) }, PorterStemmer);
};
const spanish = (): LanguageTools => makeTools(new AggressiveTokenizerEs(), PorterStemmerEs);

const FACTORIES: Record<string, () => LanguageTools> = { en: english, es: spanish };

export const SUPPORTED_LANGUAGES = Object.keys(FACTORIES);

const instances = new Map<string, LanguageTools>();

/** Tools for a BCP 47 primary tag; unknown languages fall back to English tokenising. */
export function languageTools(language: string): LanguageTools {
  const key = FACTORIES[language] ? language : 'en';
  let tools = instances.get(key);
  if (!tools) {
    tools = FACTORIES[key]();
    instances.set(key, tools);
  }
  return tools;
}

/** `en-GB` -> `en`. */
export function primaryLanguage(locale: string): string {
  return locale.split(/[-_]/)[0].toLowerCase();
}
