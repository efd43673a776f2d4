import type { ConsentLedger, ConsentRecord } from '../core/privacy';
import type { CustomerScope, Stores, TurnQueue } from '../core/ports';

interface Prefetched {
  records: Promise<ConsentRecord[]>;
  /** Turns of this customer running now: the read is shared by them and dropped after the last one. */
  turns: number;
}

/**
 * Reads a customer's consent together with the start of their turn instead of after it. Analytics asks the
 * ledger on every turn and personalisation at a greeting: on Redis that was a third round trip, one after
 * another, once the reply was ready. Here the read is sent as the turn starts, beside the turn's own first
 * script (auto-pipelining puts both in one write), and the turn's questions are answered from it.
 *
 * It is a read shared by the turns running now, not a cache: it goes when the customer's last turn ends,
 * and any consent recorded or erased in this process drops it at once, so a withdrawal given in a turn
 * counts for the rest of that turn. A guessed customer who turns out to be someone else (a linked address)
 * only means their questions read the ledger as before.
 */
export function withConsentPrefetch(stores: Stores): Stores {
  const inner = stores.consent;
  const prefetched = new Map<string, Prefetched>();

  const acquire = (customerId: string): void => {
    const held = prefetched.get(customerId);
    if (held) {
      held.turns += 1;
      return;
    }
    const entry: Prefetched = { records: inner.history(customerId), turns: 1 };
    // A failed read is not kept: the next question reads the ledger again (and sees its own error).
    entry.records.catch(() => {
      if (prefetched.get(customerId) === entry) prefetched.delete(customerId);
    });
    prefetched.set(customerId, entry);
  };
  const release = (customerId: string): void => {
    const held = prefetched.get(customerId);
    if (held && --held.turns <= 0) prefetched.delete(customerId);
  };
  // Dropped before a change, and again after it: a turn that started meanwhile may have read the old value.
  const changing = async <T>(customerId: string, change: () => Promise<T>): Promise<T> => {
    prefetched.delete(customerId);
    try {
      return await change();
    } finally {
      prefetched.delete(customerId);
    }
  };

  const consent: ConsentLedger = {
    async history(customerId) {
      const held = prefetched.get(customerId);
      if (!held) return inner.history(customerId);
      // Each caller gets records of its own, as from the ledger itself.
      return (await held.records).map((record) => ({ ...record }));
    },
    record: (record) => changing(record.customerId, () => inner.record(record)),
    listByCustomer: (scope) => inner.listByCustomer(scope),
    eraseByCustomer: (scope: CustomerScope) => changing(scope.customerId, () => inner.eraseByCustomer(scope)),
  };

  const queue = stores.turns;
  const turns: TurnQueue = {
    run: (conversationId, work, order) => queue.run(conversationId, work, order),
  };
  if (queue.runFor) {
    const runFor = queue.runFor.bind(queue);
    turns.runFor = async (address, hint, work, order) => {
      acquire(hint.customerId);
      try {
        return await runFor(address, hint, work, order);
      } finally {
        release(hint.customerId);
      }
    };
  }
  return { ...stores, consent, turns };
}
