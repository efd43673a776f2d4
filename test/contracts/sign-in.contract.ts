import type { StoresFixture } from './stores.contract';

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
let sequence = 0;
const uniqueKey = (prefix: string) => `${prefix}-${Date.now().toString(36)}-${(sequence += 1)}`;

/** Lets a window of `ms` pass: on the fixture's fake clock when it has one, else in real time. */
async function pass(fixture: StoresFixture, ms: number): Promise<void> {
  if (fixture.clock) fixture.clock.advance(ms);
  else await sleep(ms);
}

/**
 * The attempt counter and revoked-token list every backend provides for agent sign-in: atomic counting
 * under concurrency, windows that expire, and (on shared backends) one view for every process.
 */
export function describeSignInGuards(get: () => StoresFixture, { shared }: { shared: boolean }): void {
  describe('attempt counter', () => {
    it('allows exactly `limit` of many concurrent attempts and says when the window ends', async () => {
      const { attempts } = get().stores;
      const key = uniqueKey('user\u0000203.0.113.9');
      const verdicts = await Promise.all(Array.from({ length: 40 }, () => attempts.take(key, 5, 60_000)));
      expect(verdicts.filter((v) => v.allowed)).toHaveLength(5);
      expect(verdicts.map((v) => v.count).sort((a, b) => a - b)).toEqual([
        ...[1, 2, 3, 4],
        ...Array.from({ length: 36 }, () => 5),
      ]);
      for (const verdict of verdicts) {
        expect(verdict.retryAfterMs).toBeGreaterThan(50_000);
        expect(verdict.retryAfterMs).toBeLessThanOrEqual(60_000);
      }
    });

    it('keeps keys apart, including keys that are not well-formed Unicode', async () => {
      const { attempts } = get().stores;
      const [a, b] = [uniqueKey('a\ud800'), uniqueKey('a{b}:c')];
      expect((await attempts.take(a, 1, 60_000)).allowed).toBe(true);
      expect((await attempts.take(a, 1, 60_000)).allowed).toBe(false);
      expect((await attempts.take(b, 1, 60_000)).allowed).toBe(true);
    });

    it('gives back one attempt, never below zero, and clears a key', async () => {
      const { attempts } = get().stores;
      const key = uniqueKey('k');
      await attempts.giveBack(key);
      expect((await attempts.take(key, 2, 60_000)).count).toBe(1);
      expect((await attempts.take(key, 2, 60_000)).count).toBe(2);
      expect((await attempts.take(key, 2, 60_000)).allowed).toBe(false);
      await attempts.giveBack(key);
      expect(await attempts.take(key, 2, 60_000)).toMatchObject({ allowed: true, count: 2 });
      await attempts.clear(key);
      expect(await attempts.take(key, 2, 60_000)).toMatchObject({ allowed: true, count: 1 });
    });

    it('starts again from zero once the window has passed', async () => {
      const fixture = get();
      const key = uniqueKey('k');
      expect((await fixture.stores.attempts.take(key, 1, 150)).allowed).toBe(true);
      expect((await fixture.stores.attempts.take(key, 1, 150)).allowed).toBe(false);
      await pass(fixture, 200);
      expect(await fixture.stores.attempts.take(key, 1, 150)).toMatchObject({ allowed: true, count: 1 });
    });
  });

  describe('revoked tokens', () => {
    it('remembers a revoked id until its time is up, and only that id', async () => {
      const fixture = get();
      const { revokedTokens } = fixture.stores;
      const [id, other] = [uniqueKey('jti'), uniqueKey('jti')];
      await revokedTokens.revoke(id, 150);
      expect(await revokedTokens.isRevoked(id)).toBe(true);
      expect(await revokedTokens.isRevoked(other)).toBe(false);
      await pass(fixture, 200);
      expect(await revokedTokens.isRevoked(id)).toBe(false);
    });
  });

  if (!shared) return;

  describe('shared by every process', () => {
    it('counts attempts from two processes against one limit', async () => {
      const fixture = get();
      const peer = await fixture.openPeer!();
      try {
        const key = uniqueKey('k');
        const verdicts = await Promise.all(
          Array.from({ length: 30 }, (_, i) => (i % 2 ? peer : fixture.stores).attempts.take(key, 5, 60_000)),
        );
        expect(verdicts.filter((v) => v.allowed)).toHaveLength(5);
      } finally {
        await peer.close();
      }
    });

    it('shows a token revoked on one process as revoked on another', async () => {
      const fixture = get();
      const peer = await fixture.openPeer!();
      try {
        const id = uniqueKey('jti');
        await fixture.stores.revokedTokens.revoke(id, 60_000);
        expect(await peer.revokedTokens.isRevoked(id)).toBe(true);
      } finally {
        await peer.close();
      }
    });

    it('puts a TTL no longer than the window or the token lifetime on every key it writes', async () => {
      const fixture = get();
      await fixture.stores.attempts.take(uniqueKey('k'), 3, 60_000);
      await fixture.stores.revokedTokens.revoke(uniqueKey('jti'), 30_000);
      const keys = (await fixture.keyTtls!()).filter((k) => /\{(attempts|revoked):/.test(k.key));
      expect(keys.some((k) => k.key.includes('{attempts:'))).toBe(true);
      expect(keys.some((k) => k.key.includes('{revoked:'))).toBe(true);
      for (const { key, ttlMs } of keys) {
        const limit = key.includes('{attempts:') ? 60_000 : 30_000;
        expect({ key, ok: ttlMs > 0 && ttlMs <= limit }).toEqual({ key, ok: true });
      }
    });
  });
}
