import { createHash, randomInt, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import type { JsonValue } from '../core/json';
import type { Clock, KeyValueStore, TurnQueue } from '../core/ports';

export interface ExportCodesOptions {
  /** The shared key-value store: any process can check a code another issued. */
  store: Pick<KeyValueStore, 'get' | 'set' | 'delete'>;
  /** Serialises the check-and-consume of one customer's code across processes. */
  locks: Pick<TurnQueue, 'run'>;
  clock: Clock;
  /** How long a code works. Default 10 minutes. */
  ttlMs?: number;
  /** Wrong tries before the code dies. Default 5. */
  maxFailures?: number;
  /** Codes one customer may be sent per window. Default 3 an hour. */
  maxIssues?: number;
  windowMs?: number;
  /** A random integer in [0, max) (tests may pin it). */
  random?: (max: number) => number;
}

export type CodeIssue = { ok: true; code: string; expiresAt: number } | { ok: false; reason: 'rate_limited' };

export type CodeCheck =
  /** No code is waiting for this customer, or the text does not look like one: an ordinary message. */
  | { outcome: 'none' }
  | { outcome: 'accepted' }
  | { outcome: 'rejected'; triesLeft: number }
  /** The code expired, or was tried wrong too often: it is gone, and the customer must ask again. */
  | { outcome: 'expired' | 'locked' };

/** Six digits, as customers type them: `123456`, `123 456`, `123-456`. */
const CODE_TEXT = /^\s*(?:code\s*:?\s*)?(\d{3})[\s-]?(\d{3})\s*\.?\s*$/i;

const pendingSchema = z.object({
  hash: z.string(),
  expiresAt: z.number(),
  failures: z.number().int(),
});
const counterSchema = z.object({ count: z.number().int(), since: z.number() });

const sha256 = (text: string) => createHash('sha256').update(text).digest();
const codeKey = (customerId: string) => `privacy:export-code:${customerId}`;
const issuedKey = (customerId: string) => `privacy:export-issued:${customerId}`;
/** The lock's name: a digest, since the turn queue's keys outlive an erasure until their TTL. */
const lockOf = (key: string) => `privacy:lock:${sha256(key).toString('hex')}`;
const json = (value: object) => JSON.parse(JSON.stringify(value)) as JsonValue;

/**
 * One-time codes that stand between "send me my data" and the export: a 6-digit code goes to a channel
 * that proves it is the customer (the phone or e-mail address on file, or the SMS/WhatsApp chat they are
 * in), and only the customer who types it back gets the link. Codes are stored as digests under the
 * customer's id (so erasure and the scan find them), work once, expire, die after `maxFailures` wrong
 * tries, and a customer can be sent only `maxIssues` per window.
 *
 * @example
 * const codes = new ExportCodes({ store: stores.keyValue, locks: stores.turns, clock });
 * const issued = await codes.issue(customerId); // text issued.code to the phone on file
 * (await codes.check(customerId, '123 456')).outcome; // 'accepted' once, then 'none'
 */
export class ExportCodes {
  private readonly ttlMs: number;
  private readonly maxFailures: number;
  private readonly maxIssues: number;
  private readonly windowMs: number;
  private readonly random: (max: number) => number;

  constructor(private readonly options: ExportCodesOptions) {
    this.ttlMs = options.ttlMs ?? 10 * 60_000;
    this.maxFailures = options.maxFailures ?? 5;
    this.maxIssues = options.maxIssues ?? 3;
    this.windowMs = options.windowMs ?? 3_600_000;
    this.random = options.random ?? ((max) => randomInt(0, max));
  }

  /** A fresh code for the customer (replacing any earlier one), unless they asked too often lately. */
  async issue(customerId: string): Promise<CodeIssue> {
    const { store, clock } = this.options;
    return this.options.locks.run(lockOf(issuedKey(customerId)), async () => {
      const now = clock.now();
      const seen = counterSchema.safeParse(await store.get(issuedKey(customerId)));
      const counter =
        seen.success && now - seen.data.since < this.windowMs ? seen.data : { count: 0, since: now };
      if (counter.count >= this.maxIssues) return { ok: false, reason: 'rate_limited' } as const;
      await store.set(issuedKey(customerId), json({ count: counter.count + 1, since: counter.since }));
      const code = String(this.random(1_000_000)).padStart(6, '0');
      const expiresAt = now + this.ttlMs;
      const pending = { hash: sha256(code).toString('hex'), expiresAt, failures: 0 };
      await store.set(codeKey(customerId), json(pending));
      return { ok: true, code, expiresAt } as const;
    });
  }

  /** Whether `text` looks like a code at all: only then is the store asked. */
  static looksLikeCode(text: string): boolean {
    return CODE_TEXT.test(text);
  }

  /** Checks `text` as the customer's code; a right one is consumed. */
  async check(customerId: string, text: string): Promise<CodeCheck> {
    const typed = CODE_TEXT.exec(text);
    if (!typed) return { outcome: 'none' };
    const { store, clock } = this.options;
    const key = codeKey(customerId);
    return this.options.locks.run(lockOf(key), async (): Promise<CodeCheck> => {
      const parsed = pendingSchema.safeParse(await store.get(key));
      if (!parsed.success) return { outcome: 'none' };
      const pending = parsed.data;
      if (pending.expiresAt <= clock.now()) {
        await store.delete(key);
        return { outcome: 'expired' };
      }
      const given = sha256(`${typed[1]}${typed[2]}`);
      const expected = Buffer.from(pending.hash, 'hex');
      if (expected.length === given.length && timingSafeEqual(expected, given)) {
        await store.delete(key);
        return { outcome: 'accepted' };
      }
      const failures = pending.failures + 1;
      if (failures >= this.maxFailures) {
        await store.delete(key);
        return { outcome: 'locked' };
      }
      await store.set(key, json({ ...pending, failures }));
      return { outcome: 'rejected', triesLeft: this.maxFailures - failures };
    });
  }
}
