import type { CustomerContext, CustomerSituation } from '../../../core/customer-context';

const DAY_MS = 24 * 60 * 60 * 1000;

interface CrmRecord {
  /** Whether Acme has proved this number is the customer's (a code sent to it and typed back). */
  verified: boolean;
  /** The customer booked an engineer visit for this many days from now, in this window. */
  visit?: { inDays: number; window: 'morning' | 'afternoon' | 'evening' };
}

/** The fake CRM: customers by the phone number they write from (SMS, WhatsApp, a phone call). */
const CRM: Record<string, CrmRecord> = {
  '+447700900123': { verified: true, visit: { inDays: 1, window: 'morning' } },
  '+447700900124': { verified: true, visit: { inDays: 3, window: 'afternoon' } },
  // Known, but the number was never proved to be theirs: nothing is said about their visit.
  '+447700900999': { verified: false, visit: { inDays: 1, window: 'evening' } },
};

/**
 * Acme's customer context: what a customer writing from a number on file is doing now. Only facts the
 * customer already has (the day and window of a visit they booked), never account details.
 */
export function createAcmeCustomerContext(records: Record<string, CrmRecord> = CRM): CustomerContext {
  return {
    async situation({ channelUserId, now }): Promise<CustomerSituation | undefined> {
      const record = channelUserId === undefined ? undefined : records[channelUserId];
      if (!record) return undefined;
      const activities = record.visit
        ? [
            {
              kind: 'engineer_visit',
              startedBy: 'customer' as const,
              facts: {
                date: new Date(now + record.visit.inDays * DAY_MS).toISOString().slice(0, 10),
                window: record.visit.window,
              },
            },
          ]
        : [];
      return { verified: record.verified, activities };
    },
  };
}
