import type { DialogEngine } from '../../core/dialog';
import type { JsonValue } from '../../core/json';
import type { Message } from '../../core/message';
import type { NluParser } from '../../core/nlu';
import type { Stores } from '../../core/ports';

/** Everything is `echo`, with full confidence. */
export const echoNlu: NluParser = {
  async parse(text) {
    const intent = { name: 'echo', confidence: 1 };
    return { text, intent, intent_ranking: [intent], entities: [], locale: 'en' };
  },
};

/**
 * Counts its steps in the dialog state, so a step taken twice shows; `slow…` texts take `slowMs` first
 * (a slow back-end look-up, for a kill to land mid-turn).
 */
export function countingDialog(slowMs = 0): DialogEngine {
  return {
    async step(state: JsonValue | undefined, input) {
      const steps = typeof state === 'number' ? state + 1 : 1;
      const text = input.type === 'user' ? input.text : input.type;
      if (text.startsWith('slow')) await new Promise((resolve) => setTimeout(resolve, slowMs));
      return { state: steps, replies: [{ from: 'bot', text: `${text} (step ${steps})` }], events: [] };
    },
    summarize: () => ({ slots: {}, tried: [] }),
  };
}

export const textMessage = (conversationId: string, messageId: string, text: string): Message => ({
  channel: 'rest',
  channelUserId: conversationId,
  conversationId,
  messageId,
  kind: 'text',
  text,
  timestamp: 1_700_000_000_000,
});

/** Thrown by every store write once the simulated process has been killed. */
export class KilledError extends Error {
  constructor() {
    super('process killed');
  }
}

/**
 * `stores` as a process sees them that is killed just before its `killAt`-th write (1-based) of a turn:
 * that write and every later one never happen. Reads keep working (they change nothing).
 */
export function killedAtWrite(stores: Stores, killAt: number): { stores: Stores; killed: () => boolean } {
  let writes = 0;
  const write =
    <A extends unknown[]>(run: (...args: A) => Promise<void>) =>
    async (...args: A): Promise<void> => {
      writes += 1;
      if (writes >= killAt) throw new KilledError();
      await run(...args);
    };
  const { conversations, transcripts, processed, commits } = stores;
  return {
    killed: () => writes >= killAt,
    stores: {
      ...stores,
      conversations: { ...bind(conversations), put: write((s) => conversations.put(s)) },
      transcripts: { ...bind(transcripts), append: write((id, e) => transcripts.append(id, e)) },
      processed: { ...bind(processed), put: write((id, m, r) => processed.put(id, m, r)) },
      ...(commits ? { commits: { commit: write((turn) => commits.commit(turn)) } } : {}),
    },
  };
}

/** The object's methods bound to it, so a copy with some replaced still works. */
function bind<T extends object>(target: T): T {
  const bound: Record<string, unknown> = {};
  let proto: object | null = target;
  while (proto && proto !== Object.prototype) {
    for (const key of Object.getOwnPropertyNames(proto)) {
      const value = (target as Record<string, unknown>)[key];
      if (key !== 'constructor' && typeof value === 'function' && !(key in bound))
        bound[key] = (value as (...args: unknown[]) => unknown).bind(target);
    }
    proto = Object.getPrototypeOf(proto) as object | null;
  }
  return bound as T;
}
