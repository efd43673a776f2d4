import { languageOf } from './locale';

/**
 * The framework's own customer-facing sentences (the apology, "You're now chatting with…", the
 * business-hours notice, the dialog engine's help and fallback…), per locale. Catalogues are plain data
 * (`locales/<locale>.yaml`, loaded by `locales/load.ts`); a bot overrides any key. This is the interface and
 * the pure lookup; it has no runtime dependencies.
 */

/** Values for a template's `{placeholders}`. */
export type MessageVars = Readonly<Record<string, string | number>>;

/** One locale's sentences: dotted key (`handoff.connected`) → template (`You're now chatting with {agent}.`). */
export type Catalogue = Readonly<Record<string, string>>;

/** Catalogues by locale (`en`, `es`, `es-MX`). */
export type Catalogues = Readonly<Record<string, Catalogue>>;

/**
 * Looks up a sentence: the locale itself (`es-MX`), its language (`es`), the bot's default locale, then
 * `en`. A key found nowhere is returned as `[key]`, visible rather than silently empty.
 *
 * @example
 * messages.text('es', 'handoff.connected', { agent: 'Sam' }); // "Ahora hablas con Sam."
 */
export interface MessageCatalogue {
  text(locale: string | undefined, key: string, vars?: MessageVars): string;
  /** The template itself (placeholders unfilled), or undefined when no locale in the chain has the key. */
  template(locale: string | undefined, key: string): string | undefined;
  /** The bot's default locale: what `text` falls back to first. */
  readonly defaultLocale: string;
  /** Locales with at least one sentence. */
  locales(): string[];
}

const PLACEHOLDER = /\{([A-Za-z][\w.-]*)\}/g;

/** Fills `{name}` placeholders; an unknown one stays visible rather than saying something false. */
export function interpolate(template: string, vars: MessageVars = {}): string {
  return template.replace(PLACEHOLDER, (whole, name: string) =>
    vars[name] === undefined ? whole : String(vars[name]),
  );
}

/**
 * A catalogue from layers, later layers overriding earlier ones key by key (framework, then the bot's
 * files, then the bot's definition).
 */
export function createMessageCatalogue(
  layers: readonly Catalogues[],
  defaultLocale = 'en',
): MessageCatalogue {
  const merged: Record<string, Record<string, string>> = {};
  for (const layer of layers)
    for (const [locale, sentences] of Object.entries(layer))
      merged[locale] = { ...merged[locale], ...sentences };
  const chain = (locale: string | undefined): string[] => {
    const tags = locale ? [locale, languageOf(locale)] : [];
    return [...new Set([...tags, defaultLocale, languageOf(defaultLocale), 'en'])];
  };
  const template = (locale: string | undefined, key: string): string | undefined => {
    for (const tag of chain(locale)) {
      const found = merged[tag]?.[key];
      if (found !== undefined) return found;
    }
    return undefined;
  };
  return {
    defaultLocale,
    template,
    text: (locale, key, vars) => interpolate(template(locale, key) ?? `[${key}]`, vars),
    locales: () => Object.keys(merged).filter((locale) => Object.keys(merged[locale]).length > 0),
  };
}
