import type { JsonObject } from '../../core/json';

/**
 * Where a conversation's Bot Framework reference is kept between turns: what `continueConversationAsync`
 * needs to reach the customer out of turn (an agent's reply, a hand-back). Small: service URL, channel,
 * conversation, bot and user ids.
 */
export interface ConversationReferenceStore {
  get(conversationId: string): Promise<JsonObject | undefined>;
  put(conversationId: string, reference: JsonObject): Promise<void>;
}

/**
 * Process-local references, the most recent `capacity` conversations. A reply pushed from a process that
 * never saw the conversation finds nothing here and is held for the customer's next message (the runtime's
 * pending replies), so nothing is lost; a shared store (a key-value port on Redis) would deliver it at once.
 */
export function createMemoryReferenceStore(capacity = 10_000): ConversationReferenceStore {
  const references = new Map<string, JsonObject>();
  return {
    async get(conversationId) {
      return references.get(conversationId);
    },
    async put(conversationId, reference) {
      references.delete(conversationId); // re-inserted last: the Map's order is recency
      references.set(conversationId, reference);
      if (references.size > capacity) {
        const oldest = references.keys().next();
        if (!oldest.done) references.delete(oldest.value);
      }
    },
  };
}
