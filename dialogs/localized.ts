import { z } from 'zod';
import { languageOf } from '../core/locale';

/**
 * Texts in flows, per locale and per channel form. A text is one of:
 *
 * - `"Hello"`: the bot's default locale, every channel;
 * - `{ text: "Hello", voice: "<speak>Hello!</speak>", sms: "Hi", buttons: [...] }`: channel forms (`voice`
 *   becomes `Reply.speech`, `sms` becomes `Reply.short`; `text` is required);
 * - `{ en: <either of the above>, es: <either of the above> }`: per locale; the default locale is required
 *   (`parley flows validate` reports it missing).
 */

const text = z.string().min(1, 'must not be empty');

/** `en`, `es`, `es-MX`, `pt-BR`. */
export const LOCALE_TAG = /^[a-z]{2,3}(?:-[A-Za-z0-9]{2,8})*$/;

export const buttonSchema = z.strictObject({ title: text, payload: text });

/** Channel forms of one text, with optional quick replies. */
export const formsSchema = z.strictObject({
  text,
  voice: text.optional(),
  sms: text.optional(),
  buttons: z.array(buttonSchema).optional(),
});

const single = z.union([text, formsSchema]);

/** Keys that mean channel forms; an object with them but without `text` is a mistake, not a locale map. */
const FORM_KEYS = ['text', 'voice', 'sms', 'buttons'];

const byLocale = z
  .record(z.string(), single)
  .refine((map) => Object.keys(map).length > 0, 'give at least one locale')
  .superRefine((map, ctx) => {
    for (const key of Object.keys(map)) {
      if (FORM_KEYS.includes(key)) ctx.addIssue({ code: 'custom', message: '"text" is required', path: [] });
      else if (!LOCALE_TAG.test(key))
        ctx.addIssue({
          code: 'custom',
          message: `"${key}" is not a locale (e.g. en, es, es-MX)`,
          path: [key],
        });
    }
  });

/** Something said to the customer (see the module comment). */
export const utteranceSchema = z.union([single, byLocale]);

/** A short label (a flow's menu title): a string, or `{ en: "...", es: "..." }`. */
export const labelSchema = z.union([
  text,
  z
    .record(z.string().regex(LOCALE_TAG, 'not a locale (e.g. en, es, es-MX)'), text)
    .refine((map) => Object.keys(map).length > 0, 'give at least one locale'),
]);

export type Utterance = z.infer<typeof utteranceSchema>;
export type Label = z.infer<typeof labelSchema>;
export type Forms = z.infer<typeof formsSchema>;
type Single = z.infer<typeof single>;

function isLocaleMap<T>(value: string | object, single: (v: object) => boolean): value is Record<string, T> {
  return typeof value === 'object' && !single(value);
}

const isForms = (value: object): boolean => 'text' in value;

/** The entry for `locale` in a locale map: the locale, its language, the default locale, then any. */
function pick<T>(map: Record<string, T>, locale: string, defaultLocale: string): T {
  for (const tag of [locale, languageOf(locale), defaultLocale, languageOf(defaultLocale)])
    if (map[tag] !== undefined) return map[tag];
  return Object.values(map)[0];
}

/** The utterance in one locale, as channel forms. */
export function utteranceIn(utterance: Utterance, locale: string, defaultLocale: string): Forms {
  const chosen: Single = isLocaleMap<Single>(utterance, isForms)
    ? pick(utterance, locale, defaultLocale)
    : (utterance as Single);
  return typeof chosen === 'string' ? { text: chosen } : chosen;
}

/** A label in one locale. */
export function labelIn(label: Label, locale: string, defaultLocale: string): string {
  return typeof label === 'string' ? label : pick(label, locale, defaultLocale);
}

/** One text of an utterance with where it sits inside it (for static checks pointing at a YAML line). */
export interface UtteranceText {
  path: Array<string | number>;
  text: string;
}

/** Every text of an utterance (each locale, each channel form and button title), and whether the default locale is missing. */
export function utteranceTexts(
  utterance: Utterance,
  defaultLocale: string,
): { texts: UtteranceText[]; missingDefault: boolean } {
  const textsOf = (value: Single, at: Array<string | number>): UtteranceText[] => {
    if (typeof value === 'string') return [{ path: at, text: value }];
    const forms = (['text', 'voice', 'sms'] as const)
      .filter((key) => value[key] !== undefined)
      .map((key) => ({ path: [...at, key], text: value[key] ?? '' }));
    const titles = (value.buttons ?? []).map((button, index) => ({
      path: [...at, 'buttons', index, 'title'],
      text: button.title,
    }));
    return [...forms, ...titles];
  };
  if (!isLocaleMap<Single>(utterance, isForms))
    return { texts: textsOf(utterance as Single, []), missingDefault: false };
  const texts = Object.entries(utterance).flatMap(([tag, value]) => textsOf(value, [tag]));
  return { texts, missingDefault: !hasLocale(utterance, defaultLocale) };
}

/** True when a label or locale map has a text for the default locale (a plain string always does). */
export function hasLocale(value: string | Record<string, unknown>, defaultLocale: string): boolean {
  if (typeof value === 'string') return true;
  return value[defaultLocale] !== undefined || value[languageOf(defaultLocale)] !== undefined;
}
