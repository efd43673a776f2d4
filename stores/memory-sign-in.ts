import type { AttemptCounter, AttemptVerdict, Clock, RevokedTokens } from '../core/ports';

interface Window {
  count: number;
  endsAt: number;
}

// Expired entries are dropped when read and all at once every this many writes, so memory stays bounded.
const SWEEP_EVERY = 1000;

/** Drops entries whose deadline has passed, every `SWEEP_EVERY` writes. */
class Sweeper<V> {
  private writes = 0;

  constructor(
    private readonly entries: Map<string, V>,
    private readonly deadline: (value: V) => number,
    private readonly clock: Clock,
  ) {}

  wrote(): void {
    this.writes += 1;
    if (this.writes < SWEEP_EVERY) return;
    this.writes = 0;
    const now = this.clock.now();
    for (const [key, value] of this.entries) if (this.deadline(value) <= now) this.entries.delete(key);
  }
}

/** One process's attempt counters; JavaScript runs one call at a time, so each `take` is atomic. */
export class MemoryAttemptCounter implements AttemptCounter {
  private readonly windows = new Map<string, Window>();
  private readonly sweeper: Sweeper<Window>;

  constructor(private readonly clock: Clock) {
    this.sweeper = new Sweeper(this.windows, (window) => window.endsAt, clock);
  }

  async take(key: string, limit: number, windowMs: number): Promise<AttemptVerdict> {
    const now = this.clock.now();
    const window = this.live(key, now) ?? { count: 0, endsAt: now + windowMs };
    const allowed = window.count < limit;
    if (allowed) window.count += 1;
    this.windows.set(key, window);
    this.sweeper.wrote();
    return { allowed, count: window.count, retryAfterMs: window.endsAt - now };
  }

  async giveBack(key: string): Promise<void> {
    const window = this.live(key, this.clock.now());
    if (!window) return;
    window.count -= 1;
    if (window.count <= 0) this.windows.delete(key);
  }

  async clear(key: string): Promise<void> {
    this.windows.delete(key);
  }

  clearAll(): void {
    this.windows.clear();
  }

  private live(key: string, now: number): Window | undefined {
    const window = this.windows.get(key);
    if (window && window.endsAt <= now) this.windows.delete(key);
    return window && window.endsAt > now ? window : undefined;
  }
}

/** One process's revoked token ids, each kept until the token would have expired anyway. */
export class MemoryRevokedTokens implements RevokedTokens {
  private readonly until = new Map<string, number>();
  private readonly sweeper: Sweeper<number>;

  constructor(private readonly clock: Clock) {
    this.sweeper = new Sweeper(this.until, (at) => at, clock);
  }

  async revoke(tokenId: string, ttlMs: number): Promise<void> {
    if (!(ttlMs > 0)) return;
    this.until.set(tokenId, this.clock.now() + ttlMs);
    this.sweeper.wrote();
  }

  async isRevoked(tokenId: string): Promise<boolean> {
    const until = this.until.get(tokenId);
    if (until === undefined) return false;
    if (until > this.clock.now()) return true;
    this.until.delete(tokenId);
    return false;
  }

  clearAll(): void {
    this.until.clear();
  }
}
