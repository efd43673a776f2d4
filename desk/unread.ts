import type { KeyValueStore } from '../core/ports';
import type { Case } from '../core/case';
import { customerLineCount } from '../handoff/case-activity';

/**
 * Per agent and case: how many of the customer's messages the agent has read, in the shared key-value store
 * (every process, and a restart on Redis, agree). Unread is the customer's messages beyond that mark.
 */
export interface UnreadCounts {
  unread(agent: string, item: Case): Promise<number>;
  /** Marks every message so far read. */
  markRead(agent: string, item: Case): Promise<void>;
}

const key = (agent: string, caseId: string) => `desk:read:${agent}:${caseId}`;

export function createUnreadCounts(stores: { keyValue: KeyValueStore }): UnreadCounts {
  return {
    async unread(agent, item) {
      const read = await stores.keyValue.get(key(agent, item.id));
      const total = await customerLineCount(stores.keyValue, item);
      return Math.max(0, total - (typeof read === 'number' ? read : 0));
    },
    async markRead(agent, item) {
      await stores.keyValue.set(key(agent, item.id), await customerLineCount(stores.keyValue, item));
    },
  };
}
