import type { Case } from '../core/case';
import type { KeyValueStore, MessageBus } from '../core/ports';
import { QUEUE_TOPIC } from './case-events';

const key = (caseId: string) => `desk:customer-lines:${caseId}`;

/**
 * Counts the customer's messages to an open case (after the handoff), so desks can show unread counts
 * without re-reading transcripts; a customer's turns run one at a time, so the read-then-write is safe.
 * Publishes `{ type: 'activity', caseId }` on the queue topic for every desk.
 */
export async function countCustomerLine(
  stores: { keyValue: KeyValueStore; bus: MessageBus },
  caseId: string,
) {
  const now = await stores.keyValue.get(key(caseId));
  await stores.keyValue.set(key(caseId), (typeof now === 'number' ? now : 0) + 1);
  await stores.bus.publish(QUEUE_TOPIC, { type: 'activity', caseId });
}

/** The customer's messages in the case so far: those in the handoff package and every one since. */
export async function customerLineCount(keyValue: KeyValueStore, item: Case): Promise<number> {
  const since = await keyValue.get(key(item.id));
  const before = item.package.transcript.filter((e) => e.speaker === 'customer').length;
  return before + (typeof since === 'number' ? since : 0);
}
