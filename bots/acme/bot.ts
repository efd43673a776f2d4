import type { JsonObject, JsonValue } from '../../core/json';
import type { DialogEngineOptions, DialogImplementations, FlowScope } from '../../dialogs';
import { createAcmeBackend, type AcmeBackend } from './services';
import type { TimeWindow } from './services/appointments.service';
import { openingHours } from './services/opening-hours.service';
import { NO_DEVICES, type DeviceActions } from '../../core/devices';
import { deviceImplementations } from '../../dialogs/device-implementations';
import { remedyFor, routerHealthy } from './services/device-faults.service';
import { createAcmeCustomerContext } from './services/customer-context';

function object(value: JsonValue | undefined): JsonObject {
  return value && typeof value === 'object' && !Array.isArray(value) ? value : {};
}

/** The intents the Acme NLU knows (`bots/acme/nlu/*.yaml`); flows naming any other fail validation. */
export const acmeIntents = [
  'greet',
  'goodbye',
  'thanks',
  'help',
  'order_status',
  'opening_hours',
  'reset_password',
  'check_balance',
  'report_outage',
  'book_appointment',
  'cancel_service',
  'complaint',
  'offers',
  'human_agent',
  'link_channel',
  'link_show_code',
  'unlink_channel',
  'stop_device_notices',
  'affirm',
  'deny',
  'out_of_scope',
] as const;

function text(scope: FlowScope, slot: string): string {
  const value = scope.slots[slot];
  return typeof value === 'string' ? value : String(value ?? '');
}

function field(data: JsonValue | undefined, key: string): JsonValue | undefined {
  return data && typeof data === 'object' && !Array.isArray(data) ? data[key] : undefined;
}

const ORDER_NUMBER = /^[A-Z]\d{4}$/;
const ACCOUNT_NUMBER = /^\d{8}$/;
const WINDOWS: readonly string[] = ['morning', 'afternoon', 'evening'] satisfies TimeWindow[];
/** Engineers are booked up to four weeks ahead. */
const BOOKING_HORIZON_MS = 28 * 24 * 60 * 60 * 1000;

/**
 * Acme's implementations of what its flows name: look-ups against the (fake) back-end, guards on their
 * results, and validators for Acme's own identifiers. Build one per back-end; tests pass a fresh one.
 */
export function createAcmeImplementations(
  backend: AcmeBackend,
  devices: DeviceActions = NO_DEVICES,
): DialogImplementations {
  const device = deviceImplementations(devices);
  return {
    lookups: {
      ...device.lookups,
      faultRemedy: ({ results }): JsonValue => ({ ...remedyFor(object(results.event)) }),
      findOrder: (scope): JsonValue => {
        const order = backend.orders.find(text(scope, 'order_number'), scope.turn.now);
        return order ? { found: true, ...order } : { found: false };
      },
      openingHours: ({ turn }) => openingHours(turn.now, turn.locale),
      verifyBalance: (scope): JsonValue => {
        const answer = backend.accounts.balance(text(scope, 'account_number'), text(scope, 'postcode'));
        return { ...answer } as JsonObject;
      },
      checkOutage: (scope): JsonValue =>
        ({ ...backend.outages.check(text(scope, 'postcode'), scope.turn.now) }) as JsonObject,
      bookVisit: (scope): JsonValue => {
        const booking = backend.appointments.book(
          text(scope, 'date').slice(0, 10),
          text(scope, 'time_window') as TimeWindow,
        );
        return { ...booking };
      },
    },
    effects: {
      ...device.effects,
      sendResetLink: (scope) => backend.accounts.requestPasswordReset(text(scope, 'email'), scope.turn.now),
    },
    guards: {
      ...device.guards,
      remedyKnown: ({ data }) => field(data, 'known') === true,
      routerHealthy: ({ data }) => routerHealthy(data),
      orderFound: ({ data }) => field(data, 'found') === true,
      orderShipped: ({ data }) => field(data, 'status') === 'shipped',
      orderDelivered: ({ data }) => field(data, 'status') === 'delivered',
      verified: ({ data }) => field(data, 'verified') === true,
      outageKnown: ({ data }) => field(data, 'known') === true,
      timeInMorning: ({ slots }) => windowOf(slots['date']) === 'morning',
      timeInAfternoon: ({ slots }) => windowOf(slots['date']) === 'afternoon',
      timeInEvening: ({ slots }) => windowOf(slots['date']) === 'evening',
    },
    validators: {
      orderNumber: (value) => typeof value === 'string' && ORDER_NUMBER.test(value),
      accountNumber: (value) => typeof value === 'string' && ACCOUNT_NUMBER.test(value),
      timeWindow: (value) => typeof value === 'string' && WINDOWS.includes(value),
      /** A single day (not a range) from tomorrow to the booking horizon. */
      visitDate: (value, { now }) => {
        if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}/.test(value)) return false;
        const day = Date.parse(value.slice(0, 10));
        const today = Date.parse(new Date(now).toISOString().slice(0, 10));
        return day > today && day <= today + BOOKING_HORIZON_MS;
      },
    },
    customerContext: createAcmeCustomerContext(),
  };
}

/** The visit window a date-time falls in; undefined for a bare date (no time said). */
function windowOf(value: JsonValue | undefined): TimeWindow | undefined {
  if (typeof value !== 'string') return undefined;
  const time = /T(\d{2}):/.exec(value);
  if (!time) return undefined;
  const hour = Number(time[1]);
  return hour < 12 ? 'morning' : hour < 17 ? 'afternoon' : 'evening';
}

/** Acme's implementations over its default in-memory back-end. */
export const acmeImplementations = createAcmeImplementations(createAcmeBackend());

export const acmeEngineOptions: DialogEngineOptions = {
  intents: acmeIntents,
  // A little above the NLU's own out-of-scope cut (0.5): off-topic questions land just around it.
  confidenceThreshold: 0.55,
  menu: [
    'order_status',
    'report_outage',
    'book_appointment',
    'check_balance',
    'reset_password',
    'opening_hours',
  ],
};
