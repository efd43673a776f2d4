import type { ChannelName } from './message';

/**
 * Something the customer is doing now that they started themselves (a visit they booked, an order they
 * placed, a return they opened): what a bot may open a conversation with ("immediate, not intimate").
 * `facts` are what the customer already knows about it (a date, a time window), never account details.
 */
export interface CustomerActivity {
  /** The kind a flow's `personalise.activity` names (`engineer_visit`). */
  kind: string;
  /** Only activities the customer started are ever named to them. */
  startedBy: 'customer';
  /** Short strings, numbers or ISO dates the customer told or was told (`{ date: '2025-06-03' }`). */
  facts: Readonly<Record<string, string | number | boolean>>;
}

/** What the bot's records say about who is writing, for the conversation's opening. */
export interface CustomerSituation {
  /**
   * True only when the bot's records have verified that this address is the customer's (a number on
   * file, a signed-in session, a channel linked with a one-time code). Nothing is personalised otherwise.
   */
  verified: boolean;
  /** Current activities, most relevant first. */
  activities: CustomerActivity[];
}

/**
 * A CRM look-up a bot implements (`DialogImplementations.customerContext`): what the customer writing from
 * `channel`/`channelUserId` is doing now. Undefined when the records do not know them. The engine uses it
 * only for a verified customer who consented to `personalisation` (`core/privacy.ts`).
 *
 * @example
 * const customerContext: CustomerContext = {
 *   async situation({ channelUserId, now }) {
 *     const visit = await crm.nextVisitFor(channelUserId, now);
 *     return visit && { verified: true, activities: [{ kind: 'engineer_visit', startedBy: 'customer',
 *       facts: { date: visit.date } }] };
 *   },
 * };
 */
export interface CustomerContext {
  situation(customer: {
    customerId: string;
    channel: ChannelName;
    channelUserId?: string;
    now: number;
  }): Promise<CustomerSituation | undefined>;
}
