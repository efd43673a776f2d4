import { createHash, randomBytes, randomInt, timingSafeEqual } from 'node:crypto';
import type { JsonValue } from '../core/json';
import type { ChannelAddress, Clock, KeyValueStore, TurnQueue } from '../core/ports';

/** How a code reached the customer: texted to a phone on file, e-mailed, or shown in the chat they are in. */
export type LinkVia = 'sms' | 'email' | 'shown';

/** What a redeemed code links the new address to. */
export interface LinkGrant {
  customerId: string;
  conversationId: string;
  via: LinkVia;
}

export type Issued = { ok: true; code: string; expiresAt: number } | { ok: false; reason: 'rate_limited' };

export type Redemption =
  /** The text is not a code this address could be redeeming: an ordinary message. */
  | { outcome: 'none' }
  | { outcome: 'accepted'; grant: LinkGrant }
  /** Wrong, already used or expired. */
  | { outcome: 'rejected' }
  /** Too many failed attempts from this address lately: nothing is checked until the window passes. */
  | { outcome: 'locked' };

export interface LinkCodesOptions {
  store: KeyValueStore;
  /** Serialises the check-and-consume of one code (and one counter) across every process. */
  locks: TurnQueue;
  clock: Clock;
  /** How long a code is valid. */
  ttlMs?: number;
  /** Codes one customer may ask for per window, and codes one phone or e-mail address may receive. */
  maxIssues?: number;
  /** Failed attempts one address may make per window; a phone code dies after as many wrong tries. */
  maxFailures?: number;
  windowMs?: number;
  /** Random bytes (tests may pin them). */
  random?: (size: number) => Buffer;
}

/** Channels whose user id is a phone number: a code texted to a number is redeemed from that number. */
export const PHONE_CHANNELS: readonly string[] = ['sms', 'whatsapp'];

// Unambiguous upper-case letters and digits (no 0/O, 1/I/L): 31 symbols, 8 of them ≈ 40 bits.
const TOKEN_ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';
const TOKEN = /^[2-9A-HJKMNP-Z]{8}$/;
const PHONE_CODE = /^\d{6}$/;
const PREFIX = /^(?:link|code|c[oó]digo|vincular)\s*[:#]?\s*/i;

interface PhoneRecord extends LinkGrant {
  hash: string;
  expiresAt: number;
  attempts: number;
}

interface TokenRecord extends LinkGrant {
  hash: string;
  expiresAt: number;
}

interface Counter {
  count: number;
  since: number;
}

const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

/** Equal digests, compared in constant time. */
function sameHash(a: string, b: string): boolean {
  const left = Buffer.from(a, 'hex');
  const right = Buffer.from(b, 'hex');
  return left.length === right.length && timingSafeEqual(left, right);
}

/**
 * One-time link codes, kept in the shared key-value store so any process can redeem what another issued:
 * - a 6-digit code texted to a phone number on file, valid only from that number (SMS or WhatsApp);
 * - an 8-character token (e-mailed, or shown in the chat the customer is in), valid from any address.
 * Codes are stored hashed, expire, work once, and are rate-limited: issues per customer and per
 * destination, failed attempts per address (and per phone code).
 */
export class LinkCodes {
  private readonly ttlMs: number;
  private readonly maxIssues: number;
  private readonly maxFailures: number;
  private readonly windowMs: number;
  private readonly random: (size: number) => Buffer;

  constructor(private readonly options: LinkCodesOptions) {
    this.ttlMs = options.ttlMs ?? 10 * 60_000;
    this.maxIssues = options.maxIssues ?? 3;
    this.maxFailures = options.maxFailures ?? 5;
    this.windowMs = options.windowMs ?? 15 * 60_000;
    this.random = options.random ?? randomBytes;
  }

  /** A 6-digit code for `phone`; a new one replaces the number's previous code. */
  async issueForPhone(phone: string, grant: LinkGrant): Promise<Issued> {
    if (!(await this.allowIssue(grant.customerId, `phone:${phone}`)))
      return { ok: false, reason: 'rate_limited' };
    const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
    const expiresAt = this.options.clock.now() + this.ttlMs;
    const record: PhoneRecord = { ...grant, hash: sha256(code), expiresAt, attempts: 0 };
    await this.options.store.set(phoneKey(phone), toJson(record));
    return { ok: true, code, expiresAt };
  }

  /** An 8-character token, e-mailed to `destination` or shown in the chat (`destination` undefined). */
  async issueToken(grant: LinkGrant, destination?: string): Promise<Issued> {
    const target = destination === undefined ? undefined : `email:${destination.toLowerCase()}`;
    if (!(await this.allowIssue(grant.customerId, target))) return { ok: false, reason: 'rate_limited' };
    const code = this.token();
    const expiresAt = this.options.clock.now() + this.ttlMs;
    const hash = sha256(code);
    await this.options.store.set(tokenKey(hash), toJson({ ...grant, hash, expiresAt } satisfies TokenRecord));
    return { ok: true, code, expiresAt };
  }

  /** Checks `text` from `address` as a link code and consumes it when it is right. */
  async redeem(address: ChannelAddress, text: string): Promise<Redemption> {
    const candidate = text.trim().replace(PREFIX, '').replace(/[\s-]/g, '').toUpperCase();
    const phone = PHONE_CHANNELS.includes(address.channel) ? address.userId : undefined;
    if (phone !== undefined && PHONE_CODE.test(candidate)) {
      const pending = await this.options.store.get(phoneKey(phone));
      if (pending !== undefined) return this.attempt(address, () => this.redeemPhone(phone, candidate));
    }
    if (TOKEN.test(candidate) && /\d/.test(candidate) && /[A-Z]/.test(candidate))
      return this.attempt(address, () => this.redeemToken(candidate));
    return { outcome: 'none' };
  }

  /** Refuses locked-out addresses; counts a failed attempt against the address. */
  private async attempt(
    address: ChannelAddress,
    check: () => Promise<LinkGrant | undefined>,
  ): Promise<Redemption> {
    const key = `link:fail:${sha256(`${address.channel}\u0000${address.userId}`)}`;
    return this.options.locks.run(key, async () => {
      const failures = this.current(await this.options.store.get(key));
      if (failures.count >= this.maxFailures) return { outcome: 'locked' };
      const grant = await check();
      if (grant) return { outcome: 'accepted', grant };
      await this.options.store.set(key, toJson({ count: failures.count + 1, since: failures.since }));
      return { outcome: 'rejected' };
    });
  }

  private redeemPhone(phone: string, code: string): Promise<LinkGrant | undefined> {
    const key = phoneKey(phone);
    return this.options.locks.run(key, async () => {
      const record = parsePhoneRecord(await this.options.store.get(key));
      if (!record) return undefined;
      if (record.expiresAt <= this.options.clock.now()) {
        await this.options.store.delete(key);
        return undefined;
      }
      if (sameHash(sha256(code), record.hash)) {
        await this.options.store.delete(key);
        return grantOf(record);
      }
      const attempts = record.attempts + 1;
      if (attempts >= this.maxFailures) await this.options.store.delete(key);
      else await this.options.store.set(key, toJson({ ...record, attempts }));
      return undefined;
    });
  }

  private redeemToken(code: string): Promise<LinkGrant | undefined> {
    const hash = sha256(code);
    const key = tokenKey(hash);
    return this.options.locks.run(key, async () => {
      const record = parseTokenRecord(await this.options.store.get(key));
      if (!record || !sameHash(hash, record.hash)) return undefined;
      await this.options.store.delete(key);
      return record.expiresAt > this.options.clock.now() ? grantOf(record) : undefined;
    });
  }

  /** Counts an issue against the customer and the destination; false once either is over the limit. */
  private async allowIssue(customerId: string, destination: string | undefined): Promise<boolean> {
    const keys = [`customer:${customerId}`, ...(destination ? [destination] : [])].map(
      (scope) => `link:issued:${sha256(scope)}`,
    );
    for (const key of keys) {
      const allowed = await this.options.locks.run(key, async () => {
        const counter = this.current(await this.options.store.get(key));
        if (counter.count >= this.maxIssues) return false;
        await this.options.store.set(key, toJson({ count: counter.count + 1, since: counter.since }));
        return true;
      });
      if (!allowed) return false;
    }
    return true;
  }

  /** The counter's value in the current window (a window that has passed starts again at zero). */
  private current(value: JsonValue | undefined): Counter {
    const now = this.options.clock.now();
    const counter = parseCounter(value);
    return counter && now - counter.since < this.windowMs ? counter : { count: 0, since: now };
  }

  /** A token with at least one digit and one letter, so ordinary words and numbers never look like one. */
  private token(): string {
    for (;;) {
      const code = [...this.random(8)].map((byte) => TOKEN_ALPHABET[byte % TOKEN_ALPHABET.length]).join('');
      if (/\d/.test(code) && /[A-Z]/.test(code)) return code;
    }
  }
}

/** `K7QF2M9X` as customers are shown it: `K7QF-2M9X`. */
export function formatToken(code: string): string {
  return code.length === 8 ? `${code.slice(0, 4)}-${code.slice(4)}` : code;
}

const phoneKey = (phone: string): string => `link:phone:${sha256(phone)}`;
const tokenKey = (hash: string): string => `link:token:${hash}`;

const toJson = (value: object): JsonValue => JSON.parse(JSON.stringify(value)) as JsonValue;

const grantOf = ({ customerId, conversationId, via }: LinkGrant): LinkGrant => ({
  customerId,
  conversationId,
  via,
});

function record(value: JsonValue | undefined): Record<string, JsonValue> | undefined {
  return value && typeof value === 'object' && !Array.isArray(value) ? value : undefined;
}

function parseGrant(
  value: Record<string, JsonValue>,
): (LinkGrant & { hash: string; expiresAt: number }) | undefined {
  const { customerId, conversationId, via, hash, expiresAt } = value;
  if (typeof customerId !== 'string' || typeof conversationId !== 'string') return undefined;
  if (via !== 'sms' && via !== 'email' && via !== 'shown') return undefined;
  if (typeof hash !== 'string' || typeof expiresAt !== 'number') return undefined;
  return { customerId, conversationId, via, hash, expiresAt };
}

function parsePhoneRecord(value: JsonValue | undefined): PhoneRecord | undefined {
  const fields = record(value);
  const grant = fields && parseGrant(fields);
  const attempts = fields?.['attempts'];
  return grant && typeof attempts === 'number' ? { ...grant, attempts } : undefined;
}

function parseTokenRecord(value: JsonValue | undefined): TokenRecord | undefined {
  const fields = record(value);
  return fields && parseGrant(fields);
}

function parseCounter(value: JsonValue | undefined): Counter | undefined {
  const fields = record(value);
  const [count, since] = [fields?.['count'], fields?.['since']];
  return typeof count === 'number' && typeof since === 'number' ? { count, since } : undefined;
}
