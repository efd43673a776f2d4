import type { Clock } from '../core/ports';

interface Entry<V> {
  value: V;
  expiresAt: number;
}

/**
 * A Map whose entries vanish `ttlMs` after their last write, measured on the injected clock. Expired
 * entries are dropped when read, on `sweep()` (the memory stores' timer calls it), and all of them every
 * `sweepEvery` writes. Entries are kept in the order of their last write, least recent first.
 */
export class ExpiringMap<V> {
  private readonly entries = new Map<string, Entry<V>>();
  private writesSinceSweep = 0;

  constructor(
    private readonly ttlMs: number,
    private readonly clock: Clock,
    private readonly sweepEvery = 1000,
  ) {}

  get(key: string): V | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (entry.expiresAt <= this.clock.now()) {
      this.entries.delete(key);
      return undefined;
    }
    return entry.value;
  }

  set(key: string, value: V): void {
    // Re-inserted, so iteration goes from the least recently written entry to the most recent.
    this.entries.delete(key);
    this.entries.set(key, { value, expiresAt: this.clock.now() + this.ttlMs });
    this.writesSinceSweep += 1;
    if (this.writesSinceSweep >= this.sweepEvery) this.sweep();
  }

  delete(key: string): void {
    this.entries.delete(key);
  }

  /** Live values, least recently written first. */
  values(): V[] {
    const now = this.clock.now();
    const live: V[] = [];
    for (const [key, entry] of this.entries) {
      if (entry.expiresAt <= now) this.entries.delete(key);
      else live.push(entry.value);
    }
    return live;
  }

  /** Live keys, least recently written first. */
  keys(): string[] {
    const now = this.clock.now();
    return [...this.entries].filter(([, entry]) => entry.expiresAt > now).map(([key]) => key);
  }

  /** Every key held, expired or not swept yet, least recently written first: erasure removes those too. */
  allKeys(): string[] {
    return [...this.entries.keys()];
  }

  /** Every key held, least recently written first, without copying. */
  keysByAge(): IterableIterator<string> {
    return this.entries.keys();
  }

  has(key: string): boolean {
    return this.entries.has(key);
  }

  clear(): void {
    this.entries.clear();
  }

  /** Entries held, expired or not; for tests that check memory stays bounded. */
  get size(): number {
    return this.entries.size;
  }

  /** Drops every expired entry. */
  sweep(): void {
    this.writesSinceSweep = 0;
    const now = this.clock.now();
    for (const [key, entry] of this.entries) {
      if (entry.expiresAt <= now) this.entries.delete(key);
    }
  }
}
