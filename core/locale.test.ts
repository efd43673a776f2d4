import { chooseLocale, languageOf, type LanguageGuess } from './locale';

const guess = (language: string, words: number, confidence = 1, coverage = 1): LanguageGuess => ({
  language,
  words,
  confidence,
  coverage,
});

describe('chooseLocale', () => {
  it('takes the locale the channel states, as a language, when the bot speaks it', () => {
    expect(chooseLocale({ stated: 'es-MX', guess: guess('en', 6), current: 'en', fallback: 'en' })).toBe(
      'es',
    );
  });

  it('ignores a stated locale the bot does not speak', () => {
    const evidence = { stated: 'fr-FR', current: 'es', fallback: 'en', supported: ['en', 'es'] };
    expect(chooseLocale(evidence)).toBe('es');
  });

  it('sets a new conversation from a confident guess, even one word long ("hola")', () => {
    expect(chooseLocale({ guess: guess('es', 1), fallback: 'en' })).toBe('es');
  });

  it('keeps the default for a new conversation when the guess is unsure or gibberish', () => {
    expect(chooseLocale({ guess: guess('es', 1, 0.8), fallback: 'en' })).toBe('en');
    expect(chooseLocale({ guess: guess('es', 3, 0.99, 0.13), fallback: 'en' })).toBe('en');
  });

  it('keeps the conversation language through a short reply ("ok", "sí")', () => {
    expect(chooseLocale({ guess: guess('en', 1), current: 'es', fallback: 'en' })).toBe('es');
    expect(chooseLocale({ guess: guess('es', 2), current: 'en', fallback: 'en' })).toBe('en');
  });

  it('switches on a confident sentence in another language', () => {
    expect(chooseLocale({ guess: guess('en', 4, 0.99), current: 'es', fallback: 'es' })).toBe('en');
    expect(chooseLocale({ guess: guess('en', 4, 0.9), current: 'es', fallback: 'es' })).toBe('es');
  });

  it('falls back to the default with nothing to go on (a code such as A1001)', () => {
    expect(chooseLocale({ fallback: 'en-GB' })).toBe('en');
    expect(chooseLocale({ current: 'es', fallback: 'en' })).toBe('es');
  });

  it('languageOf keeps the primary tag', () => {
    expect(languageOf('pt_BR')).toBe('pt');
    expect(languageOf('ES')).toBe('es');
  });
});
