import type { MessageCatalogue } from '../core/messages';
import { DEFAULT_TEXTS, type EngineTexts } from './types';

/** Catalogue keys of the engine's sentences: `engine.<name>` for every `EngineTexts` field. */
export const engineTextKey = (name: keyof EngineTexts): string => `engine.${name}`;

/**
 * The engine's sentences per locale: the catalogue's `engine.*` keys (`locales/<locale>.yaml`, the bot's
 * overrides on top), with `overrides` (a bot's `engineOptions.texts`) winning in the default locale. A field
 * added to `EngineTexts` needs only a catalogue entry; until it has one, `DEFAULT_TEXTS` answers.
 */
export function engineTexts(
  messages: MessageCatalogue | undefined,
  overrides: Partial<EngineTexts> = {},
): (locale: string) => EngineTexts {
  const cache = new Map<string, EngineTexts>();
  const defaultLocale = messages?.defaultLocale ?? 'en';
  return (locale) => {
    const cached = cache.get(locale);
    if (cached) return cached;
    const texts = { ...DEFAULT_TEXTS };
    for (const name of Object.keys(DEFAULT_TEXTS) as Array<keyof EngineTexts>) {
      const fromCatalogue = messages?.template(locale, engineTextKey(name));
      if (fromCatalogue !== undefined) texts[name] = fromCatalogue;
    }
    const isDefault = locale === defaultLocale || locale === defaultLocale.split('-')[0];
    const result = isDefault ? { ...texts, ...overrides } : texts;
    cache.set(locale, result);
    return result;
  };
}
