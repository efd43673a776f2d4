import type { Case, EscalationReason } from '../core/case';
import type { JsonValue } from '../core/json';
import type { MessageBus } from '../core/ports';
import type { TranscriptEntry } from '../core/transcript';

/**
 * Bus topics of the agent desk. They cross server processes, so an agent on one process sees the queue
 * and the customer lines of a customer connected to another.
 * - `cases`: `{ type: 'case', case: CaseSummary }` whenever a case is opened or changes status or owner.
 * - `case:<id>`: `{ type: 'line', entry }` for every transcript line added while the case is open, and
 *   `{ type: 'customer.message', text }` from the turn pipeline when the customer writes.
 */
export const QUEUE_TOPIC = 'cases';
export const caseTopic = (caseId: string): string => `case:${caseId}`;

/** A case without its package: what the queue list shows and what the `cases` topic carries. */
export type CaseSummary = Omit<Case, 'package'> & {
  reason: EscalationReason;
  lastIntent?: string;
};

export function summarizeCase(item: Case): CaseSummary {
  return {
    id: item.id,
    conversationId: item.conversationId,
    customerId: item.customerId,
    channels: item.channels,
    queue: item.queue,
    priority: item.priority,
    status: item.status,
    ...(item.owner ? { owner: item.owner } : {}),
    createdAt: item.createdAt,
    updatedAt: item.updatedAt,
    reason: item.package.reason,
    ...(item.package.summary.lastIntent ? { lastIntent: item.package.summary.lastIntent } : {}),
  };
}

function json(value: object): JsonValue {
  return JSON.parse(JSON.stringify(value)) as JsonValue;
}

export async function publishCase(bus: MessageBus, item: Case): Promise<void> {
  await bus.publish(QUEUE_TOPIC, json({ type: 'case', case: summarizeCase(item) }));
}

export async function publishLines(
  bus: MessageBus,
  caseId: string,
  entries: TranscriptEntry[],
): Promise<void> {
  for (const entry of entries) await bus.publish(caseTopic(caseId), json({ type: 'line', entry }));
}
