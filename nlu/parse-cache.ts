/**
 * A small least-recently-used cache for the classifier's verdict on frequent short messages ("yes",
 * "thanks", "talk to a person"). It belongs to one model instance: a reloaded model starts with an empty
 * one, so a verdict never outlives the model that gave it. The entity extractor keeps its own, by exact
 * text, for everything but dates (which depend on the time).
 */
export class LruCache<V> {
  private readonly entries = new Map<string, V>();

  constructor(readonly capacity: number) {}

  get(key: string): V | undefined {
    const value = this.entries.get(key);
    if (value === undefined) return undefined;
    // Map keeps insertion order: re-inserting marks the entry as the most recently used.
    this.entries.delete(key);
    this.entries.set(key, value);
    return value;
  }

  set(key: string, value: V): void {
    this.entries.delete(key);
    this.entries.set(key, value);
    if (this.entries.size > this.capacity) {
      const oldest = this.entries.keys().next();
      if (!oldest.done) this.entries.delete(oldest.value);
    }
  }

  /**
   * `compute()` for a message, kept under `key()` when the message is short enough to recur word for word
   * (`CACHEABLE_LENGTH`); a long message, or a cache of capacity 0, computes every time.
   */
  forMessage(text: string, key: () => string, compute: () => V): V {
    if (text.length > CACHEABLE_LENGTH || this.capacity === 0) return compute();
    const name = key();
    const cached = this.get(name);
    if (cached !== undefined) return cached;
    const value = compute();
    this.set(name, value);
    return value;
  }

  get size(): number {
    return this.entries.size;
  }
}

/** Messages longer than this are rarely repeated word for word: not worth a cache slot. */
export const CACHEABLE_LENGTH = 64;

const SPACES = /\s+/g;

/**
 * The cache key's text: case and runs of white space do not change the classifier's or the language
 * guesser's answer (`parse-cache.test.ts` checks it on the demo bot's phrases), so they do not split entries.
 */
export function normaliseForCache(text: string): string {
  return text.trim().replace(SPACES, ' ').toLowerCase();
}
