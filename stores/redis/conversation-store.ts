import type { JsonValue } from '../../core/json';
import type { Reply } from '../../core/message';
import type {
  ConversationState,
  ConversationStore,
  KeyValueStore,
  ProcessedMessages,
} from '../../core/ports';
import type { RedisClient } from './client';
import type { RedisKeys } from './keys';

/** Conversation state as one JSON string per conversation, retention refreshed on every put. */
export class RedisConversationStore implements ConversationStore {
  constructor(
    private readonly client: RedisClient,
    private readonly keys: RedisKeys,
    private readonly retentionMs: number,
  ) {}

  async get(conversationId: string): Promise<ConversationState | undefined> {
    const json = await this.client.get(this.keys.state(conversationId));
    return json === null ? undefined : (JSON.parse(json) as ConversationState);
  }

  async put(state: ConversationState): Promise<void> {
    await this.client.set(
      this.keys.state(state.conversationId),
      JSON.stringify(state),
      'PX',
      this.retentionMs,
    );
  }

  async delete(conversationId: string): Promise<void> {
    await this.client.del(this.keys.state(conversationId));
  }
}

/** The replies already sent per message, one key each, in the conversation's slot. */
export class RedisProcessedMessages implements ProcessedMessages {
  constructor(
    private readonly client: RedisClient,
    private readonly keys: RedisKeys,
    private readonly retentionMs: number,
  ) {}

  async get(conversationId: string, messageId: string): Promise<Reply[] | undefined> {
    const json = await this.client.get(this.keys.seen(conversationId, messageId));
    return json === null ? undefined : (JSON.parse(json) as Reply[]);
  }

  async put(conversationId: string, messageId: string, replies: Reply[]): Promise<void> {
    const key = this.keys.seen(conversationId, messageId);
    await this.client.set(key, JSON.stringify(replies), 'PX', this.retentionMs);
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
}
