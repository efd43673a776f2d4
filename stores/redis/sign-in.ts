import type { AttemptCounter, AttemptVerdict, RevokedTokens } from '../../core/ports';
import { LuaScript, type RedisClient } from './client';
import type { RedisKeys } from './keys';

// Reads, checks and counts in one step, so concurrent attempts from any process cannot all pass the check.
// A key left without a TTL (which no path here writes) gets one rather than living forever.
const TAKE = new LuaScript(`
local count = tonumber(redis.call('GET', KEYS[1]) or '0')
local allowed = 0
if count < tonumber(ARGV[1]) then
  count = redis.call('INCR', KEYS[1])
  allowed = 1
end
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  ttl = tonumber(ARGV[2])
end
return {allowed, count, ttl}
`);

// DECR keeps the key's TTL; a key that reaches zero is removed.
const GIVE_BACK = new LuaScript(`
local count = tonumber(redis.call('GET', KEYS[1]) or '0')
if count <= 1 then
  redis.call('DEL', KEYS[1])
else
  redis.call('DECR', KEYS[1])
end
return 0
`);

/** Attempt windows as one counter key each, expiring with the window (Redis's clock, not a process's). */
export class RedisAttemptCounter implements AttemptCounter {
  constructor(
    private readonly client: RedisClient,
    private readonly keys: RedisKeys,
  ) {}

  async take(key: string, limit: number, windowMs: number): Promise<AttemptVerdict> {
    const window = Math.max(1, Math.ceil(windowMs));
    const [allowed, count, ttl] = (await TAKE.run(
      this.client,
      [this.keys.attempts(key)],
      [limit, window],
    )) as [number, number, number];
    return { allowed: allowed === 1, count, retryAfterMs: ttl };
  }

  async giveBack(key: string): Promise<void> {
    await GIVE_BACK.run(this.client, [this.keys.attempts(key)], []);
  }

  async clear(key: string): Promise<void> {
    await this.client.del(this.keys.attempts(key));
  }
}

/** One key per revoked token id, expiring when the token would have. */
export class RedisRevokedTokens implements RevokedTokens {
  constructor(
    private readonly client: RedisClient,
    private readonly keys: RedisKeys,
  ) {}

  async revoke(tokenId: string, ttlMs: number): Promise<void> {
    if (!(ttlMs > 0)) return;
    await this.client.set(this.keys.revokedToken(tokenId), '1', 'PX', Math.ceil(ttlMs));
  }

  async isRevoked(tokenId: string): Promise<boolean> {
    return (await this.client.exists(this.keys.revokedToken(tokenId))) === 1;
  }
}
