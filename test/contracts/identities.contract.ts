import { CustomerNotFoundError, type ChannelAddress, type IdentityStore } from '../../core/ports';
import type { StoresFeatures, StoresFixture } from './stores.contract';

let sequence = 0;
const unique = (prefix: string) => `${prefix}-${Date.now().toString(36)}-${(sequence += 1)}`;

/** A fresh address and the hint a connector would give for its first message. */
function newcomer(channel = 'rest') {
  const address: ChannelAddress = { channel, userId: unique('user') };
  const hint = { customerId: `${channel}:${address.userId}`, conversationId: unique('conv') };
  return { address, hint };
}

const sorted = (addresses: ChannelAddress[]) =>
  [...addresses].sort((a, b) => `${a.channel} ${a.userId}`.localeCompare(`${b.channel} ${b.userId}`));

/**
 * What every `IdentityStore` promises: an address maps to one customer and that customer's active
 * conversation, get-or-create is atomic, and linking moves an address to another customer.
 *
 * @example
 * describeIdentities('memory', makeFixture, { fakeClock: true });
 */
export function describeIdentities(
  name: string,
  makeFixture: () => Promise<StoresFixture>,
  features: StoresFeatures = {},
): void {
  describe(`Identity contract: ${name}`, () => {
    let fixture: StoresFixture;
    let identities: IdentityStore;

    beforeEach(async () => {
      fixture = await makeFixture();
      identities = fixture.stores.identities;
    });

    afterEach(async () => {
      await fixture.cleanup();
    });

    it('creates a customer from the hint on first sight and returns it again afterwards', async () => {
      const { address, hint } = newcomer();
      expect(await identities.resolve(address, hint)).toEqual(hint);
      const later = { customerId: 'other', conversationId: 'other-conv' };
      expect(await identities.resolve(address, later)).toEqual(hint);
      expect(await identities.addresses(hint.customerId)).toEqual([address]);
    });

    it('keeps different addresses, and the same id on different channels, apart', async () => {
      const rest = newcomer('rest');
      const webchat = { channel: 'webchat', userId: rest.address.userId };
      const webHint = { customerId: `webchat:${webchat.userId}`, conversationId: unique('conv') };
      expect(await identities.resolve(rest.address, rest.hint)).toEqual(rest.hint);
      expect(await identities.resolve(webchat, webHint)).toEqual(webHint);
    });

    it('gives every one of many concurrent first messages the same customer and conversation', async () => {
      const { address } = newcomer();
      const hints = Array.from({ length: 20 }, (_, i) => ({
        customerId: `candidate-${i}`,
        conversationId: `conversation-${i}`,
      }));
      const answers = await Promise.all(hints.map((hint) => identities.resolve(address, hint)));
      expect(new Set(answers.map((a) => JSON.stringify(a))).size).toBe(1);
      expect(hints).toContainEqual(answers[0]);
      expect(await identities.addresses(answers[0]!.customerId)).toEqual([address]);
    });

    it("links a second address to a customer: it continues that customer's conversation", async () => {
      const first = newcomer('rest');
      const second = newcomer('webchat');
      await identities.resolve(first.address, first.hint);
      await identities.resolve(second.address, second.hint);
      await identities.link(second.address, first.hint.customerId);
      expect(await identities.resolve(second.address, second.hint)).toEqual(first.hint);
      expect(sorted(await identities.addresses(first.hint.customerId))).toEqual(
        sorted([first.address, second.address]),
      );
      expect(await identities.addresses(second.hint.customerId)).toEqual([]);
    });

    it('links an address never seen before, and refuses an unknown customer', async () => {
      const first = newcomer('rest');
      const fresh: ChannelAddress = { channel: 'sms', userId: unique('+44') };
      await identities.resolve(first.address, first.hint);
      await identities.link(fresh, first.hint.customerId);
      expect(await identities.resolve(fresh, newcomer().hint)).toEqual(first.hint);
      await expect(identities.link(fresh, unique('nobody'))).rejects.toBeInstanceOf(CustomerNotFoundError);
      // A refused link changes nothing.
      expect(await identities.resolve(fresh, newcomer().hint)).toEqual(first.hint);
    });

    it('unlinks an address: its next message starts a customer of its own', async () => {
      const first = newcomer('rest');
      const second = newcomer('webchat');
      await identities.resolve(first.address, first.hint);
      await identities.link(second.address, first.hint.customerId);
      await identities.unlink(second.address);
      expect(await identities.addresses(first.hint.customerId)).toEqual([first.address]);
      expect(await identities.resolve(second.address, second.hint)).toEqual(second.hint);
      expect(await identities.resolve(first.address, newcomer().hint)).toEqual(first.hint);
    });

    it('knows no addresses for a customer it never saw', async () => {
      expect(await identities.addresses(unique('nobody'))).toEqual([]);
    });

    if (features.fakeClock) {
      it('forgets identities retentionMs after their last use', async () => {
        const { clock, retentionMs } = fixture;
        const { address, hint } = newcomer();
        await identities.resolve(address, hint);
        clock!.advance(retentionMs - 1);
        expect(await identities.resolve(address, newcomer().hint)).toEqual(hint);
        clock!.advance(retentionMs - 1);
        expect(await identities.resolve(address, newcomer().hint)).toEqual(hint);
        clock!.advance(retentionMs);
        const again = newcomer().hint;
        expect(await identities.resolve(address, again)).toEqual(again);
      });
    }

    if (features.shared) {
      it('puts a TTL within retention on every identity key', async () => {
        const first = newcomer('rest');
        const second = newcomer('webchat');
        await identities.resolve(first.address, first.hint);
        await identities.link(second.address, first.hint.customerId);
        const keys = await fixture.keyTtls!();
        expect(keys.length).toBeGreaterThanOrEqual(4);
        for (const { key, ttlMs } of keys) {
          expect([key, ttlMs > 0 && ttlMs <= fixture.retentionMs]).toEqual([key, true]);
        }
      });

      it('agrees across processes on a first message sent to both at once', async () => {
        const peer = await fixture.openPeer!();
        try {
          const { address } = newcomer();
          const answers = await Promise.all(
            Array.from({ length: 10 }, (_, i) =>
              (i % 2 ? peer : fixture.stores).identities.resolve(address, {
                customerId: `candidate-${i}`,
                conversationId: `conversation-${i}`,
              }),
            ),
          );
          expect(new Set(answers.map((a) => JSON.stringify(a))).size).toBe(1);
        } finally {
          await peer.close();
        }
      });
    }
  });
}
