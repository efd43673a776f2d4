import type { DataClass } from './retention';

/** The data classes retention is set for (`core/retention.ts`). */
export { DATA_CLASSES, type DataClass } from './retention';

/**
 * One kind of record a store module keeps, declared next to the code that writes it, so the data map
 * (`parley privacy map`) is read from the code rather than written by hand.
 */
export interface StoredData {
  /** The store family: `memory`, `redis`, `postgres`. */
  store: string;
  /** What is kept, in plain words. */
  what: string;
  /** Where: a key pattern or a table. */
  where: string;
  class: DataClass;
  /** Why it is kept (the purpose). */
  why: string;
  /** How expiry works for it: a TTL, a sweep, with its parent. */
  expiry: string;
  /** Holds personal data about a customer (and so is in export and erasure). */
  personal: boolean;
  /** A hot-store record that goes to PostgreSQL instead when DATABASE_URL is set. */
  durableWithPostgres?: boolean;
}
