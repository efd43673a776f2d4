import { z } from 'zod';
import type { Middleware } from '../../core/compose';
import { languageOf } from '../../core/locale';
import type { MessageCatalogue } from '../../core/messages';
import { note, say, type TurnContext } from '../../core/turn';
import { frameworkMessages } from '../../locales/load';

export const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

const PERIOD = /^([01]\d|2[0-3]):([0-5]\d)-([01]\d|2[0-3]|24):([0-5]\d)$/;

const period = z
  .string()
  .regex(PERIOD, 'expected "HH:MM-HH:MM", e.g. "09:00-17:30"')
  .refine((value) => {
    const [open, close] = toMinutes(value);
    return close > open && close <= 24 * 60;
  }, 'a period must close after it opens, on the same day (split overnight hours across two days)');

const timeZone = z.string().refine((zone) => {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}, 'unknown IANA time zone');

/**
 * Opening hours of the people behind the bot, in the team's own time zone.
 *
 * @example
 * { timeZone: 'Europe/London', weekly: { mon: ['09:00-17:30'], sat: ['10:00-13:00', '14:00-16:00'] },
 *   closedDates: ['2025-12-25'] }
 */
export const businessHoursSchema = z.object({
  timeZone,
  /** Periods per weekday; a missing day is closed. */
  weekly: z.partialRecord(z.enum(WEEKDAYS), z.array(period)),
  /** Local dates (YYYY-MM-DD) the team is closed all day: bank holidays. */
  closedDates: z.array(z.iso.date()).default([]),
  /**
   * `{when}` becomes the next opening, e.g. "Monday 09:00". Same text in every language when set; by
   * default the catalogue's `handoff.offline` in the customer's language.
   */
  notice: z.string().optional(),
  /** Locale for weekday and month names when the customer writes its language (others get their own). */
  locale: z.string().default('en-GB'),
});
export type BusinessHoursConfig = z.input<typeof businessHoursSchema>;

export interface BusinessHours {
  isOpen(now: number): boolean;
  /** The instant the team is next open: `now` itself while open; undefined if it never opens. */
  nextOpening(now: number): number | undefined;
  /** The customer-facing notice while closed, in `locale` (the bot's default when absent); undefined while open. */
  offlineNotice(now: number, locale?: string): string | undefined;
}

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
/** Far enough to step over a long holiday closure; beyond it "never opens" is the honest answer. */
const SEARCH_DAYS = 400;

interface LocalTime {
  /** The local calendar day as a UTC midnight timestamp: day arithmetic without time zone surprises. */
  day: number;
  minutes: number;
}

/**
 * Opening hours with the time zone maths done by `Intl.DateTimeFormat` (daylight saving included). Takes
 * `now` in every call: there is no wall clock inside.
 *
 * @example
 * const hours = createBusinessHours({ timeZone: 'Europe/London', weekly: { mon: ['09:00-17:00'] } });
 * hours.offlineNotice(Date.parse('2025-01-04T12:00:00Z')); // "Our team is offline now; a person will reply from Monday 09:00."
 */
export function createBusinessHours(
  input: BusinessHoursConfig,
  messages: MessageCatalogue = frameworkMessages(),
): BusinessHours {
  const config = businessHoursSchema.parse(input);
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone: config.timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
    second: 'numeric',
  });
  const closed = new Set(config.closedDates.map((date) => Date.parse(`${date}T00:00:00Z`)));
  const periodsOn = (day: number): Array<[number, number]> =>
    closed.has(day)
      ? []
      : (config.weekly[WEEKDAYS[new Date(day).getUTCDay()] as Weekday] ?? [])
          .map(toMinutes)
          .sort((a, b) => a[0] - b[0]);

  const wallClock = (instant: number): number => {
    const field = (type: string): number =>
      Number(parts.formatToParts(instant).find((part) => part.type === type)?.value ?? 0);
    return Date.UTC(
      field('year'),
      field('month') - 1,
      field('day'),
      field('hour'),
      field('minute'),
      field('second'),
    );
  };
  const localTime = (instant: number): LocalTime => {
    const wall = wallClock(Math.floor(instant / 1000) * 1000);
    return { day: wall - (wall % DAY), minutes: Math.floor((wall % DAY) / MINUTE) };
  };
  // Local wall time → instant: subtract the zone's offset, then correct once in case the offset differs
  // on the other side of a daylight-saving change.
  const instantOf = (day: number, minutes: number): number => {
    const wall = day + minutes * MINUTE;
    const guess = wall - (wallClock(wall) - wall);
    return wall - (wallClock(guess) - guess);
  };

  const isOpen = (now: number): boolean => {
    const local = localTime(now);
    return periodsOn(local.day).some(([open, close]) => local.minutes >= open && local.minutes < close);
  };
  const nextOpening = (now: number): number | undefined => {
    if (isOpen(now)) return now;
    const today = localTime(now).day;
    for (let offset = 0; offset < SEARCH_DAYS; offset += 1) {
      const day = today + offset * DAY;
      for (const [open] of periodsOn(day)) {
        const start = instantOf(day, open);
        if (start > now) return start;
      }
    }
    return undefined;
  };
  const formatters = new Map<string, (now: number, next: number) => string>();
  const describe = (locale: string): ((now: number, next: number) => string) => {
    // The configured locale ("en-GB") for its own language; the customer's locale for any other.
    const tag = languageOf(locale) === languageOf(config.locale) ? config.locale : locale;
    let formatter = formatters.get(tag);
    if (!formatter) formatters.set(tag, (formatter = whenFormatter(config.timeZone, tag)));
    return formatter;
  };
  return {
    isOpen,
    nextOpening,
    offlineNotice(now, locale = messages.defaultLocale) {
      if (isOpen(now)) return undefined;
      const next = nextOpening(now);
      const when =
        next === undefined ? messages.text(locale, 'handoff.whenUnknown') : describe(locale)(now, next);
      const template = config.notice ?? messages.template(locale, 'handoff.offline') ?? '{when}';
      return template.replace('{when}', when);
    },
  };
}

/** "Monday 09:00" within the coming week; "Monday 5 January 09:00" further ahead. */
function whenFormatter(timeZone: string, locale: string): (now: number, next: number) => string {
  const weekday = new Intl.DateTimeFormat(locale, { timeZone, weekday: 'long' });
  const date = new Intl.DateTimeFormat(locale, { timeZone, weekday: 'long', day: 'numeric', month: 'long' });
  const time = new Intl.DateTimeFormat(locale, {
    timeZone,
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  });
  return (now, next) => `${(next - now < 6 * DAY ? weekday : date).format(next)} ${time.format(next)}`;
}

function toMinutes(value: string): [number, number] {
  const match = PERIOD.exec(value);
  if (!match) return [0, 0];
  const [, oh, om, ch, cm] = match.map(Number) as [number, number, number, number, number];
  return [oh * 60 + om, ch * 60 + cm];
}

/**
 * A hook that, when this turn opened a case while the team is offline, tells the customer when a person
 * will reply and notes `handoff.out_of_hours` in the transcript. The case still queues. It acts after the
 * rest of the turn, so hook it on `respond` (after every `decide` trigger has run).
 *
 * @example
 * runtime.pipeline.use('respond', createOutOfHoursNotice(createBusinessHours(config.businessHours)));
 */
export function createOutOfHoursNotice(hours: BusinessHours): Middleware<TurnContext> {
  return async (ctx, next) => {
    const escalated = ctx.entries.some((entry) => entry.speaker === 'system' && entry.event === 'escalated');
    const notice = escalated ? hours.offlineNotice(ctx.now, ctx.state.locale) : undefined;
    if (notice) {
      const caseId = ctx.state.caseId;
      say(ctx, { from: 'bot', text: notice, ...(caseId ? { handoff: { caseId, callBack: true } } : {}) });
      const opening = hours.nextOpening(ctx.now);
      note(
        ctx,
        'handoff.out_of_hours',
        opening === undefined ? {} : { nextOpening: new Date(opening).toISOString() },
      );
    }
    await next();
  };
}
