import type { JsonValue } from '../../core/json';
import type { Reply } from '../../core/message';
import type {
  ConversationState,
  ConversationStore,
  CustomerScope,
  KeyValueEntry,
  KeyValueStore,
  ProcessedMessage,
  ProcessedMessages,
} from '../../core/ports';
import { keyMentions } from '../../core/privacy';
import type { RedisClient } from './client';
import { encodeId, RedisKeys } from './keys';
import type { LoadedTurns } from './loaded-turns';
import { deleteKeys, scanKeys } from './scan';

/**
 * Conversation state as one JSON string per conversation, retention refreshed on every put. Inside a turn
 * the first read is answered from what the turn's first script loaded with its lock (`loaded`).
 */
export class RedisConversationStore implements ConversationStore {
  constructor(
    private readonly client: RedisClient,
    private readonly keys: RedisKeys,
    private readonly retentionMs: number,
    private readonly loaded?: LoadedTurns,
  ) {}

  async get(conversationId: string): Promise<ConversationState | undefined> {
    const preloaded = this.loaded?.takeState(conversationId);
    const json = preloaded !== undefined ? preloaded : await this.client.get(this.keys.state(conversationId));
    return json === null ? undefined : (JSON.parse(json) as ConversationState);
  }

  async put(state: ConversationState): Promise<void> {
    this.loaded?.dropState(state.conversationId);
    await this.client.set(
      this.keys.state(state.conversationId),
      JSON.stringify(state),
      'PX',
      this.retentionMs,
    );
  }

  async delete(conversationId: string): Promise<void> {
    this.loaded?.dropState(conversationId);
    await this.client.del(this.keys.state(conversationId));
  }

  async listByCustomer(scope: CustomerScope): Promise<ConversationState[]> {
    const states = await Promise.all(scope.conversationIds.map((id) => this.get(id)));
    return states.flatMap((state) => (state ? [state] : []));
  }

  /** The state and the conversation's turn-queue keys (their names carry the conversation id). */
  async eraseByCustomer(scope: CustomerScope): Promise<number> {
    const keys = scope.conversationIds.flatMap((id) => [
      this.keys.state(id),
      ...Object.values(this.keys.turn(id)),
    ]);
    return deleteKeys(this.client, keys);
  }
}

/** Keys in the `{conv:<id>}` slots of the scope's conversations, found by one walk of the keyspace. */
async function conversationKeys(
  client: RedisClient,
  keys: RedisKeys,
  scope: CustomerScope,
  part: string,
): Promise<string[]> {
  const ids = new Set(scope.conversationIds.map(encodeId));
  if (ids.size === 0) return [];
  const found = await scanKeys(client, keys.patterns().conversations);
  return found.filter((key) => ids.has(RedisKeys.taggedId(key) ?? '') && key.includes(`}:${part}`));
}

/** The replies already sent per message, one key each, in the conversation's slot. */
export class RedisProcessedMessages implements ProcessedMessages {
  constructor(
    private readonly client: RedisClient,
    private readonly keys: RedisKeys,
    private readonly retentionMs: number,
    private readonly loaded?: LoadedTurns,
  ) {}

  async get(conversationId: string, messageId: string): Promise<Reply[] | undefined> {
    const preloaded = this.loaded?.takeSeen(conversationId, messageId);
    const json =
      preloaded !== undefined ? preloaded : await this.client.get(this.keys.seen(conversationId, messageId));
    return json === null ? undefined : (JSON.parse(json) as Reply[]);
  }

  async put(conversationId: string, messageId: string, replies: Reply[]): Promise<void> {
    const key = this.keys.seen(conversationId, messageId);
    await this.client.set(key, JSON.stringify(replies), 'PX', this.retentionMs);
  }

  async listByCustomer(scope: CustomerScope): Promise<ProcessedMessage[]> {
    const found = await conversationKeys(this.client, this.keys, scope, 'seen:');
    const read = await Promise.all(
      found.map(async (key) => {
        const json = await this.client.get(key);
        const conversationId = decodeId(RedisKeys.taggedId(key) ?? '');
        const messageId = decodeId(key.slice(key.indexOf('}:seen:') + '}:seen:'.length));
        return json === null ? [] : [{ conversationId, messageId, replies: JSON.parse(json) as Reply[] }];
      }),
    );
    return read.flat();
  }

  async eraseByCustomer(scope: CustomerScope): Promise<number> {
    return deleteKeys(this.client, await conversationKeys(this.client, this.keys, scope, 'seen:'));
  }
}

function decodeId(encoded: string): string {
  try {
    return decodeURIComponent(encoded);
  } catch {
    return encoded; // a lone surrogate's `%uD800`: shown as stored
  }
}

/** Connectors' small values, one JSON string per key, retention refreshed on every write. */
export class RedisKeyValueStore implements KeyValueStore {
  constructor(
    private readonly client: RedisClient,
    private readonly keys: RedisKeys,
    private readonly retentionMs: number,
  ) {}

  async get(key: string): Promise<JsonValue | undefined> {
    const json = await this.client.get(this.keys.value(key));
    return json === null ? undefined : (JSON.parse(json) as JsonValue);
  }

  async set(key: string, value: JsonValue): Promise<void> {
    await this.client.set(this.keys.value(key), JSON.stringify(value), 'PX', this.retentionMs);
  }

  async delete(key: string): Promise<void> {
    await this.client.del(this.keys.value(key));
  }

  async listByCustomer(scope: CustomerScope): Promise<KeyValueEntry[]> {
    const read = await Promise.all(
      (await this.keysAbout(scope)).map(async ({ key, stored }) => {
        const json = await this.client.get(stored);
        return json === null ? [] : [{ key, value: JSON.parse(json) as JsonValue }];
      }),
    );
    return read.flat();
  }

  async eraseByCustomer(scope: CustomerScope): Promise<number> {
    return deleteKeys(
      this.client,
      (await this.keysAbout(scope)).map((k) => k.stored),
    );
  }

  private async keysAbout(scope: CustomerScope): Promise<Array<{ key: string; stored: string }>> {
    const stored = await scanKeys(this.client, this.keys.patterns().values);
    return stored
      .map((s) => ({ key: decodeId(RedisKeys.taggedId(s) ?? ''), stored: s }))
      .filter(({ key }) => keyMentions(key, scope));
  }
}
