import { createHash } from 'node:crypto';

/**
 * Every key Parley writes to Redis. Keys of one conversation share the hash tag `{conv:<id>}` so scripts
 * and transactions over them stay in one Cluster slot; a case has its own slot, and the status indexes
 * share `{cases}`. Ids are URI-encoded so a `{`, `}` or `:` inside an id cannot move a key to another
 * slot or make two keys collide.
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
    return `${this.conversation(conversationId)}:seen:${encodeURIComponent(messageId)}`;
  }

  /** The fair lock of one conversation: ticket dispenser, now-serving counter, and the holder's lease. */
  turn(conversationId: string): { next: string; serving: string; lease: string } {
    const base = `${this.conversation(conversationId)}:turn`;
    return { next: `${base}:next`, serving: `${base}:serving`, lease: `${base}:lease` };
  }

  case(caseId: string): string {
    return `${this.prefix}:{case:${encodeURIComponent(caseId)}}`;
  }

  caseIndex(status: string): string {
    return `${this.prefix}:{cases}:status:${status}`;
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

  /** A bus channel: hash-tagged because sharded pub/sub routes channels by slot, like keys. */
  channel(topic: string): string {
    return `${this.prefix}:{bus:${encodeURIComponent(topic)}}`;
  }

  private conversation(conversationId: string): string {
    return `${this.prefix}:{conv:${encodeURIComponent(conversationId)}}`;
  }
}

function digest(value: string): string {
  return createHash('sha256').update(value, 'utf8').digest('base64url');
}
