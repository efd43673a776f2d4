import { createBusinessHours, createOutOfHoursNotice, type BusinessHoursConfig } from './business-hours';
import { createIntentTrigger } from './intents';
import { triggerRuntime } from '../../test/support/trigger-runtime';

const at = (iso: string) => Date.parse(iso);
const iso = (ms: number | undefined) => (ms === undefined ? undefined : new Date(ms).toISOString());

/** A New York team: weekdays 09:00–17:00, Saturday mornings, closed on Sundays. */
const newYork: BusinessHoursConfig = {
  timeZone: 'America/New_York',
  weekly: {
    mon: ['09:00-17:00'],
    tue: ['09:00-17:00'],
    wed: ['09:00-17:00'],
    thu: ['09:00-17:00'],
    fri: ['09:00-12:00', '13:00-17:00'],
    sat: ['10:00-13:00'],
  },
};

describe('createBusinessHours', () => {
  const hours = createBusinessHours(newYork);

  it('is open inside a period in the team time zone, not in UTC', () => {
    // Wednesday 15 January 2025: New York is UTC-5.
    expect(hours.isOpen(at('2025-01-15T14:00:00Z'))).toBe(true); // 09:00 local
    expect(hours.isOpen(at('2025-01-15T13:59:00Z'))).toBe(false); // 08:59 local
    expect(hours.isOpen(at('2025-01-15T21:59:00Z'))).toBe(true); // 16:59 local
    expect(hours.isOpen(at('2025-01-15T22:00:00Z'))).toBe(false); // 17:00 local: closing is exclusive
    // 02:00 UTC on Thursday is still Wednesday 21:00 in New York.
    expect(hours.isOpen(at('2025-01-16T02:00:00Z'))).toBe(false);
  });

  it('closes over lunch on Friday and reopens at 13:00', () => {
    expect(hours.isOpen(at('2025-01-17T17:30:00Z'))).toBe(false); // 12:30 local
    expect(iso(hours.nextOpening(at('2025-01-17T17:30:00Z')))).toBe('2025-01-17T18:00:00.000Z');
  });

  it('finds the next opening across a weekend', () => {
    // Saturday 18 January 14:00 local, after the Saturday session: next is Monday 09:00 local.
    const saturdayAfternoon = at('2025-01-18T19:00:00Z');
    expect(hours.isOpen(saturdayAfternoon)).toBe(false);
    expect(iso(hours.nextOpening(saturdayAfternoon))).toBe('2025-01-20T14:00:00.000Z');
    // Friday 20:00 local (Saturday 01:00 UTC): next is Saturday 10:00 local.
    expect(iso(hours.nextOpening(at('2025-01-18T01:00:00Z')))).toBe('2025-01-18T15:00:00.000Z');
  });

  it('returns now while open', () => {
    const now = at('2025-01-15T15:00:00Z');
    expect(hours.nextOpening(now)).toBe(now);
    expect(hours.offlineNotice(now)).toBeUndefined();
  });

  it('follows daylight saving: 09:00 local is 13:00 UTC in summer', () => {
    // Sunday 9 March 2025 clocks go forward in New York; Monday opens at 09:00 EDT = 13:00 UTC.
    expect(iso(hours.nextOpening(at('2025-03-09T12:00:00Z')))).toBe('2025-03-10T13:00:00.000Z');
    expect(hours.isOpen(at('2025-03-10T13:00:00Z'))).toBe(true);
    expect(hours.isOpen(at('2025-03-10T12:59:00Z'))).toBe(false);
  });

  it('skips closed dates such as bank holidays', () => {
    const holiday = createBusinessHours({ ...newYork, closedDates: ['2025-01-20'] });
    expect(holiday.isOpen(at('2025-01-20T15:00:00Z'))).toBe(false);
    expect(iso(holiday.nextOpening(at('2025-01-18T19:00:00Z')))).toBe('2025-01-21T14:00:00.000Z');
  });

  it('tells the customer when a person will reply, in the team time zone', () => {
    expect(hours.offlineNotice(at('2025-01-18T19:00:00Z'))).toBe(
      'Our team is offline now; a person will reply from Monday 09:00.',
    );
    const tokyo = createBusinessHours({ timeZone: 'Asia/Tokyo', weekly: { mon: ['09:00-18:00'] } });
    // Friday 17 January 12:00 UTC is Friday 21:00 in Tokyo; Monday 09:00 JST is Monday 00:00 UTC.
    expect(tokyo.offlineNotice(at('2025-01-17T12:00:00Z'))).toBe(
      'Our team is offline now; a person will reply from Monday 09:00.',
    );
    expect(iso(tokyo.nextOpening(at('2025-01-17T12:00:00Z')))).toBe('2025-01-20T00:00:00.000Z');
  });

  it('names the date when the next opening is a week or more away', () => {
    const rare = createBusinessHours({ timeZone: 'Europe/London', weekly: { mon: ['09:00-10:00'] } });
    // Monday 6 January 2025 at 11:00: the next opening is Monday 13 January.
    expect(rare.offlineNotice(at('2025-01-06T11:00:00Z'))).toBe(
      'Our team is offline now; a person will reply from Monday 13 January 09:00.',
    );
  });

  it('refuses malformed configuration', () => {
    expect(() => createBusinessHours({ timeZone: 'Mars/Olympus', weekly: {} })).toThrow(/time zone/);
    expect(() => createBusinessHours({ timeZone: 'UTC', weekly: { mon: ['17:00-09:00'] } })).toThrow(
      /close after/,
    );
    expect(() => createBusinessHours({ timeZone: 'UTC', weekly: { mon: ['9-5'] } })).toThrow(/HH:MM/);
  });

  it('says so when the team never opens', () => {
    const never = createBusinessHours({ timeZone: 'UTC', weekly: {} });
    expect(never.nextOpening(0)).toBeUndefined();
    expect(never.offlineNotice(0)).toBe(
      'Our team is offline now; a person will reply from as soon as we reopen.',
    );
  });
});

describe('createOutOfHoursNotice', () => {
  function setup(start: number) {
    const kit = triggerRuntime(start);
    kit.runtime.pipeline.use('respond', createOutOfHoursNotice(createBusinessHours(newYork)));
    kit.runtime.pipeline.use(
      'decide',
      createIntentTrigger({ handoff: kit.handoff, intents: { human_agent: 'customer_request' } }),
    );
    return kit;
  }

  it('adds the notice after the handoff message out of hours, and the case still queues', async () => {
    const { send, stores } = setup(at('2025-01-18T19:00:00Z'));
    const replies = await send('intent:human_agent a person please');
    expect(replies.at(-1)?.text).toBe('Our team is offline now; a person will reply from Monday 09:00.');
    const [item] = await stores.cases.list();
    expect(item?.status).toBe('queued');
    const lines = await stores.transcripts.read('c1');
    expect(lines.at(-1)).toMatchObject({
      event: 'handoff.out_of_hours',
      data: { nextOpening: '2025-01-20T14:00:00.000Z' },
    });
  });

  it('says nothing extra during opening hours or when nobody escalated', async () => {
    const open = setup(at('2025-01-15T15:00:00Z'));
    const replies = await open.send('intent:human_agent a person please');
    expect(replies.map((r) => r.text).join(' ')).not.toMatch(/offline/);
    const closed = setup(at('2025-01-18T19:00:00Z'));
    expect((await closed.send('hello')).map((r) => r.text)).toEqual(['bot step']);
  });
});
