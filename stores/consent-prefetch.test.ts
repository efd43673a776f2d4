import type { ChannelAddress, ResolvedCustomer, Stores } from '../core/ports';
import { currentConsent, type ConsentRecord } from '../core/privacy';
import { withConsentPrefetch } from './consent-prefetch';
import { createMemoryStores } from './memory';

const customerId = 'rest:ana';
const address: ChannelAddress = { channel: 'rest', userId: 'ana' };
const hint: ResolvedCustomer = { customerId, conversationId: 'conv-ana' };

const consent = (granted: boolean, at: number): ConsentRecord => ({
  customerId,
  purpose: 'analytics',
  granted,
  at,
  wordingVersion: 'analytics.v1',
});

/** Memory stores whose ledger counts its reads, and a `runFor` like Redis's (the memory queue has none). */
function countingStores(): { stores: Stores; reads: () => number; fail: (on: boolean) => void } {
  const base = createMemoryStores({ retentionMs: 60_000 });
  let reads = 0;
  let failing = false;
  const history = base.consent.history.bind(base.consent);
  base.consent.history = async (id) => {
    reads += 1;
    if (failing) throw new Error('ledger unavailable');
    return history(id);
  };
  base.turns.runFor = (_address, who, work, order) =>
    base.turns.run(who.conversationId, () => work(who), order);
  return { stores: withConsentPrefetch(base), reads: () => reads, fail: (on) => (failing = on) };
}

const granted = async (stores: Stores) =>
  (await currentConsent(stores.consent, customerId, 'analytics'))?.granted === true;

describe('consent read with the start of a turn', () => {
  it('reads the ledger once for a turn however often the turn asks', async () => {
    const { stores, reads } = countingStores();
    await stores.consent.record(consent(true, 1));
    const answers = await stores.turns.runFor!(address, hint, async () => [
      await granted(stores),
      await granted(stores),
    ]);
    expect(answers).toEqual([true, true]);
    expect(reads()).toBe(1);
  });

  it('keeps nothing after the turn: the next question outside a turn reads the ledger again', async () => {
    const { stores, reads } = countingStores();
    await stores.turns.runFor!(address, hint, async () => granted(stores));
    await stores.consent.record(consent(true, 2));
    expect(await granted(stores)).toBe(true);
    expect(reads()).toBe(2);
  });

  it('sees a withdrawal recorded in the same turn', async () => {
    const { stores } = countingStores();
    await stores.consent.record(consent(true, 1));
    const seen = await stores.turns.runFor!(address, hint, async () => {
      const before = await granted(stores);
      await stores.consent.record(consent(false, 2));
      return [before, await granted(stores)];
    });
    expect(seen).toEqual([true, false]);
  });

  it('sees an erasure made during the turn', async () => {
    const { stores } = countingStores();
    await stores.consent.record(consent(true, 1));
    const seen = await stores.turns.runFor!(address, hint, async () => {
      await stores.consent.eraseByCustomer({ customerId, conversationIds: [], addresses: [] });
      return stores.consent.history(customerId);
    });
    expect(seen).toEqual([]);
  });

  it('shares one read between turns of the same customer running together, and ends with the last', async () => {
    const { stores, reads } = countingStores();
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const other = { ...hint, conversationId: 'conv-ana-2' };
    const first = stores.turns.runFor!(address, hint, async () => {
      await gate;
      return granted(stores);
    });
    const second = stores.turns.runFor!(address, other, async () => granted(stores));
    expect(await second).toBe(false);
    release();
    expect(await first).toBe(false);
    expect(reads()).toBe(1);
    await granted(stores);
    expect(reads()).toBe(2);
  });

  it('gives each caller its own records, so one cannot change what another reads', async () => {
    const { stores } = countingStores();
    await stores.consent.record(consent(true, 1));
    const [a, b] = await stores.turns.runFor!(address, hint, async () => [
      await stores.consent.history(customerId),
      await stores.consent.history(customerId),
    ]);
    a![0]!.granted = false;
    expect(b![0]!.granted).toBe(true);
  });

  it('does not keep a failed read: the next question asks the ledger again', async () => {
    const { stores, reads, fail } = countingStores();
    await stores.consent.record(consent(true, 1));
    fail(true);
    const answers = await stores.turns.runFor!(address, hint, async () => {
      const first = await granted(stores).catch((error: Error) => error.message);
      fail(false);
      const readsBefore = reads();
      return [first, await granted(stores), reads() - readsBefore];
    });
    expect(answers).toEqual(['ledger unavailable', true, 1]);
  });
});
