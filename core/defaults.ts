import type { Clock, IdGenerator } from './ports';

/** The wall clock, for production wiring; tests inject their own. */
export const systemClock: Clock = { now: () => Date.now() };

/** Random UUIDs (Web Crypto, global in Node 20), for production wiring; tests inject their own. */
export const uuidIds: IdGenerator = { next: () => globalThis.crypto.randomUUID() };
