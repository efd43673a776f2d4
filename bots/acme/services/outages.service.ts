import { HOUR_MS, isoDateTime } from './calendar';

export interface OutageAnswer {
  known: boolean;
  area?: string;
  description?: string;
  /** What caused it, as a code flow texts can label per language (`values.outage.cause.<code>`). */
  cause?: string;
  /** ISO date-time the fix is expected. */
  eta?: string;
}

/** Known outages by postcode district (the outward code), with hours until the expected fix. */
const OUTAGES: Record<string, { description: string; cause: string; fixInHours: number }> = {
  M1: { description: 'a damaged fibre cable', cause: 'damaged_cable', fixInHours: 4 },
  LS6: { description: 'planned maintenance on the local exchange', cause: 'maintenance', fixInHours: 2 },
};

/** The fake network-status system. */
export class OutageService {
  check(postcode: string, now: number): OutageAnswer {
    const district = postcode
      .trim()
      .toUpperCase()
      .split(/\s+/)[0]
      .replace(/\d[A-Z]{2}$/, '');
    const outage = OUTAGES[district];
    if (!outage) return { known: false };
    return {
      known: true,
      area: district,
      description: outage.description,
      cause: outage.cause,
      eta: isoDateTime(now + outage.fixInHours * HOUR_MS),
    };
  }
}
