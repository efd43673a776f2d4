export type TimeWindow = 'morning' | 'afternoon' | 'evening';

export interface Booking {
  reference: string;
  date: string;
  window: TimeWindow;
}

/** Thrown when the chosen visit cannot be booked; the flow offers another date. */
export class SlotUnavailableError extends Error {
  constructor(date: string, window: string) {
    super(`no engineer available on ${date} in the ${window}`);
    this.name = 'SlotUnavailableError';
  }
}

const WINDOW_CODES: Record<TimeWindow, string> = { morning: 'M', afternoon: 'A', evening: 'E' };

/** The fake engineer-visit calendar: one visit per date and window, no visits on Sundays. */
export class AppointmentService {
  readonly bookings: Booking[] = [];

  book(date: string, window: TimeWindow): Booking {
    const sunday = new Date(`${date}T00:00:00Z`).getUTCDay() === 0;
    const taken = this.bookings.some((booking) => booking.date === date && booking.window === window);
    if (sunday || taken) throw new SlotUnavailableError(date, window);
    const booking = { reference: `ENG-${date.replaceAll('-', '')}-${WINDOW_CODES[window]}`, date, window };
    this.bookings.push(booking);
    return booking;
  }
}
