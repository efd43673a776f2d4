import type { AnalyticsStore } from '../core/analytics';
import type { JsonValue } from '../core/json';
import type { Clock, CustomerScope } from '../core/ports';

/**
 * A customer's analytics events and unanswered questions, for export: every event with their customer id
 * or one of their conversations, within `retentionMs`. The analytics port has no delete, so erasure cannot
 * reach these; the erasure report names them (`notErased`) and they leave with their retention.
 */
export function analyticsExport(store: AnalyticsStore, retentionMs: number, clock: Clock) {
  return {
    async listByCustomer(scope: CustomerScope): Promise<JsonValue[]> {
      const range = { from: clock.now() - retentionMs, to: clock.now() + 1 };
      const conversations = new Set(scope.conversationIds);
      const [events, questions] = await Promise.all([store.read(range), store.readQuestions(range)]);
      const mine = events.filter(
        (e) => e.customerId === scope.customerId || conversations.has(e.conversationId),
      );
      const asked = questions.filter((q) => conversations.has(q.conversationId));
      return JSON.parse(
        JSON.stringify([...mine, ...asked.map((q) => ({ unansweredQuestion: q }))]),
      ) as JsonValue[];
    },
  };
}
