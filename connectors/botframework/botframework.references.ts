import type { JsonObject } from '../../core/json';
import type { KeyValueStore } from '../../core/ports';

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
 * References in the runtime's key-value store (memory, or Redis shared by every process, with the retention
 * TTL): an agent's reply sent from any process reaches the customer at once.
 */
export function createSharedReferenceStore(values: KeyValueStore): ConversationReferenceStore {
  const key = (conversationId: string) => `botframework:reference:${conversationId}`;
  return {
    async get(conversationId) {
      const value = await values.get(key(conversationId));
      return value !== null && typeof value === 'object' && !Array.isArray(value) ? value : undefined;
    },
    put: (conversationId, reference) => values.set(key(conversationId), reference),
  };
}

/**
 * Process-local references, the most recent `capacity` conversations. A reply pushed from a process that
 * never saw the conversation finds nothing here and is held for the customer's next message (the runtime's
 * pending replies), so nothing is lost.
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
