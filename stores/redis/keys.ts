import { LONE_SURROGATE } from '../../core/identifiers';
import { createHash } from 'node:crypto';

export interface TurnKeys {
  next: string;
  serving: string;
  lease: string;
  alive: string;
  sequence: string;
}

/**
 * Every key Parley writes to Redis. Keys of one conversation share the hash tag `{conv:<id>}` so scripts
 * and transactions over them stay in one Cluster slot; a case has its own slot, and the status indexes
 * share `{cases}`. An address and a customer have a slot each. Ids are URI-encoded so a `{`, `}` or `:`
 * inside an id cannot move a key to another slot or make two keys collide; `encodeId` never throws,
 * whatever string it is given.
 */
export class RedisKeys {
  constructor(private readonly prefix: string) {
    if (/[{}]/.test(prefix)) throw new Error(`Redis key prefix must not contain braces: ${prefix}`);
  }

  state(conversationId: string): string {
    return `${this.conversation(conversationId)}:state`;
  }

  transcript(conversationId: string): string {
    return `${this.conversation(conversationId)}:transcript`;
  }

  seen(conversationId: string, messageId: string): string {
    return `${this.conversation(conversationId)}:seen:${encodeId(messageId)}`;
  }

  /**
   * The fair lock of one conversation: ticket dispenser, now-serving counter, the holder's lease, when each
   * waiting ticket's process last showed it was alive, and the last client message number queued.
   */
  turn(conversationId: string): TurnKeys {
    const base = `${this.conversation(conversationId)}:turn`;
    return {
      next: `${base}:next`,
      serving: `${base}:serving`,
      lease: `${base}:lease`,
      alive: `${base}:alive`,
      sequence: `${base}:sequence`,
    };
  }

  /** The customer an address belongs to: one key, in the address's own slot. */
  address(channel: string, userId: string): string {
    return `${this.prefix}:{addr:${encodeId(channel)}:${encodeId(userId)}}`;
  }

  /** A customer's active conversation and the set of their addresses, in the customer's slot. */
  customer(customerId: string): {
    conversation: string;
    addresses: string;
    conversations: string;
    consent: string;
  } {
    const base = `${this.prefix}:{cust:${encodeId(customerId)}}`;
    return {
      conversation: `${base}:conversation`,
      addresses: `${base}:addresses`,
      /** Every conversation the customer has had: where export and erasure start. */
      conversations: `${base}:conversations`,
      /** The customer's consent records, oldest first. */
      consent: `${base}:consent`,
    };
  }

  /** One day's audit entries (UTC date `yyyy-mm-dd`), all days in the `{audit}` slot. */
  auditDay(day: string): string {
    return `${this.prefix}:{audit}:${day}`;
  }

  /** SCAN patterns for keys found by walking the keyspace (erasure, scans). */
  patterns(): { conversations: string; values: string } {
    return {
      conversations: `${globEscape(this.prefix)}:{conv:*`,
      values: `${globEscape(this.prefix)}:{kv:*`,
    };
  }

  /** The id inside a key's hash tag (`…:{conv:<id>}…` gives `<id>` as encoded). */
  static taggedId(key: string): string | undefined {
    const open = key.indexOf('{');
    const close = key.indexOf('}', open);
    if (open < 0 || close < 0) return undefined;
    const tag = key.slice(open + 1, close);
    const colon = tag.indexOf(':');
    return colon < 0 ? undefined : tag.slice(colon + 1);
  }

  case(caseId: string): string {
    return `${this.prefix}:{case:${encodeId(caseId)}}`;
  }

  caseIndex(status: string): string {
    return `${this.prefix}:{cases}:status:${status}`;
  }

  /** A connector's small value (`KeyValueStore`): its own slot, like a case. */
  value(key: string): string {
    return `${this.prefix}:{kv:${encodeId(key)}}`;
  }

  /**
   * A sign-in attempt counter, in its own slot. Its name holds usernames and client addresses: hashed, so
   * neither sits in Redis in clear and no malformed string can break the key.
   */
  attempts(key: string): string {
    return `${this.prefix}:{attempts:${digest(key)}}`;
  }

  /** A revoked token id (random, but hashed like the attempt keys so any string is safe). */
  revokedToken(tokenId: string): string {
    return `${this.prefix}:{revoked:${digest(tokenId)}}`;
  }

  /** A registered device, its history and its event-rate window, in the device's slot. */
  device(deviceId: string): { record: string; journal: string; rate: string } {
    const base = `${this.prefix}:{dev:${encodeId(deviceId)}}`;
    return { record: `${base}:record`, journal: `${base}:journal`, rate: `${base}:rate` };
  }

  /** The ids of every device, and of one owner's devices: index sets in slots of their own. */
  deviceIndex(ownerId?: string): string {
    return ownerId === undefined
      ? `${this.prefix}:{devices}:all`
      : `${this.prefix}:{owner:${encodeId(ownerId)}}:devices`;
  }

  /** A one-time claim (a device nonce, a fault window): its own slot. */
  claim(key: string): string {
    return `${this.prefix}:{claim:${encodeId(key)}}`;
  }

  /** A bus channel: hash-tagged because sharded pub/sub routes channels by slot, like keys. */
  channel(topic: string): string {
    return `${this.prefix}:{bus:${encodeId(topic)}}`;
  }

  private conversation(conversationId: string): string {
    return `${this.prefix}:{conv:${encodeId(conversationId)}}`;
  }
}

/**
 * `encodeURIComponent`, except that it cannot throw: it throws `URIError` on a lone UTF-16 surrogate, which
 * any JSON string may carry (`"\\ud800"`). A lone surrogate becomes `%uD800`, which `encodeURIComponent`
 * never produces (it writes `%` as `%25`), so distinct ids still get distinct keys.
 */
export function encodeId(id: string): string {
  let out = '';
  let from = 0;
  for (const match of id.matchAll(LONE_SURROGATE)) {
    out += encodeURIComponent(id.slice(from, match.index));
    out += `%u${match[0].charCodeAt(0).toString(16).toUpperCase()}`;
    from = match.index + match[0].length;
  }
  return out + encodeURIComponent(id.slice(from));
}

function globEscape(value: string): string {
  return value.replace(/[*?[\]\\]/g, (c) => `\\${c}`);
}

function digest(value: string): string {
  return createHash('sha256').update(value, 'utf8').digest('base64url');
}
