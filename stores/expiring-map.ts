import type { Clock } from '../core/ports';

interface Entry<V> {
  value: V;
  expiresAt: number;
}

/**
 * A Map whose entries vanish `ttlMs` after their last write, measured on the injected clock. Expired
 * entries are dropped when read, and all of them on a sweep every `sweepEvery` writes, so memory stays
 * bounded without a timer (a timer would keep the process alive and need its own cleanup).
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
    this.entries.set(key, { value, expiresAt: this.clock.now() + this.ttlMs });
    this.writesSinceSweep += 1;
    if (this.writesSinceSweep >= this.sweepEvery) this.sweep();
  }

  delete(key: string): void {
    this.entries.delete(key);
  }

  /** Live values, in insertion order. */
  values(): V[] {
    const now = this.clock.now();
    const live: V[] = [];
    for (const [key, entry] of this.entries) {
      if (entry.expiresAt <= now) this.entries.delete(key);
      else live.push(entry.value);
    }
    return live;
  }

  /** Live keys, in insertion order. */
  keys(): string[] {
    const now = this.clock.now();
    return [...this.entries].filter(([, entry]) => entry.expiresAt > now).map(([key]) => key);
  }

  /** Every key held, expired or not swept yet: erasure removes those too. */
  allKeys(): string[] {
    return [...this.entries.keys()];
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

  private sweep(): void {
    this.writesSinceSweep = 0;
    const now = this.clock.now();
    for (const [key, entry] of this.entries) {
      if (entry.expiresAt <= now) this.entries.delete(key);
    }
  }
}
