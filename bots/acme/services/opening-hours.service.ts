type Hours = readonly [open: number, close: number] | undefined;

/** Sunday first, as `Date.getUTCDay()` counts. */
const WEEK: readonly Hours[] = [undefined, [8, 20], [8, 20], [8, 20], [8, 20], [8, 20], [9, 17]];

const TEXTS = {
  en: {
    days: ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'],
    week: 'Monday to Friday 8am to 8pm, Saturday 9am to 5pm, closed on Sundays',
    hours: ([open, close]: readonly [number, number]) => `${open}am to ${close - 12}pm`,
    open: (day: string, hours: string) => `Today (${day}) we're open ${hours}.`,
    closed: (day: string) => `Today (${day}) we're closed.`,
  },
  es: {
    days: ['domingo', 'lunes', 'martes', 'miércoles', 'jueves', 'viernes', 'sábado'],
    week: 'de lunes a viernes de 8:00 a 20:00 y los sábados de 9:00 a 17:00; los domingos cerramos',
    hours: ([open, close]: readonly [number, number]) => `de ${open}:00 a ${close}:00`,
    open: (day: string, hours: string) => `Hoy (${day}) abrimos ${hours}.`,
    closed: (day: string) => `Hoy (${day}) está cerrado.`,
  },
} as const;

/** Acme's contact-centre hours in the customer's language, with today's line from the turn's clock (UTC). */
export function openingHours(now: number, locale = 'en'): { week: string; today: string } {
  const texts = locale.startsWith('es') ? TEXTS.es : TEXTS.en;
  const weekday = new Date(now).getUTCDay();
  const hours = WEEK[weekday];
  const day = texts.days[weekday];
  return {
    week: texts.week,
    today: hours ? texts.open(day, texts.hours(hours)) : texts.closed(day),
  };
}
