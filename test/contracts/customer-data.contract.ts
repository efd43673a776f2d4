import { ERASED } from '../../core/privacy';
import { seedCustomer, unique } from '../support/privacy-seed';
import type { StoresFixture } from './stores.contract';

/**
 * Every store's list-by-customer and erase-by-customer, run against each backend: what one customer's
 * scope reaches, that erasure takes exactly that and leaves other customers alone, and that a case is
 * left as a tombstone with no personal data.
 */
export function describeCustomerData(name: string, makeFixture: () => Promise<StoresFixture>): void {
  describe(`customer data on ${name}`, () => {
    let fixture: StoresFixture;
    beforeEach(async () => {
      fixture = await makeFixture();
    });
    afterEach(async () => {
      await fixture.cleanup();
    });

    it("scopes a customer's addresses and every conversation they were given", async () => {
      const { stores } = fixture;
      const seeded = await seedCustomer(stores);
      const scope = await stores.identities.scope(seeded.customerId);
      expect([...scope.conversationIds].sort()).toEqual([...seeded.conversations].sort());
      expect(scope.addresses).toEqual([{ channel: 'sms', userId: seeded.phone }]);
      const resolved = await stores.identities.resolve(
        { channel: 'sms', userId: seeded.phone },
        { customerId: 'other', conversationId: 'other' },
      );
      expect(resolved.conversationId).toBe(seeded.conversations[1]);
    });

    it("lists what each store holds about the customer, and nothing of another's", async () => {
      const { stores } = fixture;
      const a = await seedCustomer(stores);
      const b = await seedCustomer(stores);
      const scope = await stores.identities.scope(a.customerId);
      const states = await stores.conversations.listByCustomer(scope);
      expect(states.map((s) => s.conversationId).sort()).toEqual([...a.conversations].sort());
      const transcripts = await stores.transcripts.listByCustomer(scope);
      expect(transcripts.map((t) => t.entries[0]?.text)).toEqual([
        `hello from ${a.phone}`,
        `hello from ${a.phone}`,
      ]);
      const processed = await stores.processed.listByCustomer(scope);
      expect(processed).toHaveLength(2);
      expect(processed.every((p) => a.conversations.includes(p.conversationId))).toBe(true);
      expect((await stores.cases.listByCustomer(scope)).map((c) => c.id)).toEqual([a.caseId]);
      const values = await stores.keyValue.listByCustomer(scope);
      expect(values.map((v) => v.key).sort()).toEqual(
        [`opt-out:${a.phone}`, `twilio:conversation:${a.conversations[0]}`].sort(),
      );
      expect((await stores.consent.listByCustomer(scope)).map((c) => c.purpose)).toEqual(['analytics']);
      expect(JSON.stringify([states, transcripts, processed, values])).not.toContain(b.phone);
    });

    it('erases the scope everywhere, leaves a tombstone for each case and other customers untouched', async () => {
      const { stores } = fixture;
      const a = await seedCustomer(stores);
      const b = await seedCustomer(stores);
      const scope = await stores.identities.scope(a.customerId);
      const parts = [
        stores.conversations,
        stores.transcripts,
        stores.processed,
        stores.cases,
        stores.keyValue,
        stores.consent,
      ];
      const erased = await Promise.all(parts.map((part) => part.eraseByCustomer(scope)));
      expect(erased.every((n) => n > 0)).toBe(true);
      expect(await stores.identities.eraseCustomer(a.customerId)).toBeGreaterThan(0);
      for (const part of parts) expect(await part.listByCustomer(scope)).toEqual([]);
      expect(await stores.identities.scope(a.customerId)).toEqual({
        customerId: a.customerId,
        conversationIds: [],
        addresses: [],
      });
      const tombstone = await stores.cases.get(a.caseId);
      expect(tombstone).toMatchObject({
        id: a.caseId,
        customerId: ERASED,
        queue: 'billing',
        status: 'closed',
      });
      expect(tombstone?.erasedAt).toEqual(expect.any(Number));
      const text = JSON.stringify(tombstone);
      for (const id of [a.customerId, a.phone, ...a.conversations]) expect(text).not.toContain(id);
      // The other customer keeps everything.
      const other = await stores.identities.scope(b.customerId);
      expect(other.conversationIds).toHaveLength(2);
      expect(await stores.transcripts.listByCustomer(other)).toHaveLength(2);
      expect(await stores.cases.listByCustomer(other)).toHaveLength(1);
      expect(await stores.keyValue.listByCustomer(other)).toHaveLength(2);
      if (fixture.keyTtls) {
        const keys = (await fixture.keyTtls()).map((k) => k.key).join('\n');
        for (const id of [a.customerId, a.phone, ...a.conversations]) {
          expect(keys).not.toContain(encodeURIComponent(id));
        }
      }
    });

    it('refuses to begin a conversation for an unknown customer', async () => {
      await expect(fixture.stores.identities.beginConversation(unique('nobody'), 'c')).rejects.toThrow(
        /not found/,
      );
    });

    it('keeps an append-only audit trail, found by customer reference', async () => {
      const { audit } = fixture.stores;
      const ref = unique('ref');
      const now = Date.now();
      await audit.append({
        at: now,
        actor: { kind: 'agent', id: 'sam' },
        action: 'read',
        target: 'case:1',
        customerRef: ref,
      });
      await audit.append({
        at: now + 1,
        actor: { kind: 'system', id: 'erasure' },
        action: 'erase',
        target: 'customer',
        customerRef: ref,
      });
      await audit.append({
        at: now + 2,
        actor: { kind: 'agent', id: 'kim' },
        action: 'read',
        target: 'case:2',
        customerRef: 'x',
      });
      const mine = await audit.list({ customerRef: ref });
      expect(mine.map((e) => e.action)).toEqual(['read', 'erase']);
      expect((await audit.list({ since: now + 2 })).map((e) => e.target)).toContain('case:2');
    });
  });
}
