const WEEK = [
  { day: 'Sunday', hours: undefined },
  { day: 'Monday', hours: '8am to 8pm' },
  { day: 'Tuesday', hours: '8am to 8pm' },
  { day: 'Wednesday', hours: '8am to 8pm' },
  { day: 'Thursday', hours: '8am to 8pm' },
  { day: 'Friday', hours: '8am to 8pm' },
  { day: 'Saturday', hours: '9am to 5pm' },
] as const;

/** Acme's contact-centre hours, with today's line worked out from the turn's clock (UTC). */
export function openingHours(now: number): { week: string; today: string } {
  const today = WEEK[new Date(now).getUTCDay()];
  return {
    week: 'Monday to Friday 8am to 8pm, Saturday 9am to 5pm, closed on Sundays',
    today: today.hours
      ? `Today (${today.day}) we're open ${today.hours}.`
      : `Today (${today.day}) we're closed.`,
  };
}
