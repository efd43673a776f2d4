import type { Cluster, Redis } from 'ioredis';
import type { ConversationTranscript, CustomerScope, TranscriptStore } from '../../core/ports';
import type { TranscriptEntry } from '../../core/transcript';
import { normalisePage } from '../../transcripts/page';

/**
 * Transcripts as Redis lists, one JSON entry per element: RPUSH keeps arrival order and LRANGE pages
 * without reading the whole list. The caller names the key (hash-tagged per conversation for Cluster).
 */
export class RedisTranscriptStore implements TranscriptStore {
  constructor(
    private readonly client: Redis | Cluster,
    private readonly keyOf: (conversationId: string) => string,
    private readonly retentionMs: number,
  ) {}

  async append(conversationId: string, entries: TranscriptEntry[]): Promise<void> {
    if (entries.length === 0) return;
    const key = this.keyOf(conversationId);
    // One transaction (one key, one slot): the entries and the refreshed retention land together.
    const results = await this.client
      .multi()
      .rpush(key, ...entries.map((entry) => JSON.stringify(entry)))
      .pexpire(key, this.retentionMs)
      .exec();
    const failure = results?.find(([error]) => error)?.[0];
    if (!results || failure) throw failure ?? new Error(`transcript append to ${conversationId} was aborted`);
  }

  async read(conversationId: string, page?: { offset?: number; limit?: number }): Promise<TranscriptEntry[]> {
    const { offset, limit } = normalisePage(page);
    if (limit === 0) return [];
    const stop = limit === undefined ? -1 : offset + limit - 1;
    const items = await this.client.lrange(this.keyOf(conversationId), offset, stop);
    return items.map((item) => JSON.parse(item) as TranscriptEntry);
  }

  async count(conversationId: string): Promise<number> {
    return this.client.llen(this.keyOf(conversationId));
  }

  async listByCustomer(scope: CustomerScope): Promise<ConversationTranscript[]> {
    const read = await Promise.all(
      scope.conversationIds.map(async (conversationId) => ({
        conversationId,
        entries: await this.read(conversationId),
      })),
    );
    return read.filter((t) => t.entries.length > 0);
  }

  async eraseByCustomer(scope: CustomerScope): Promise<number> {
    const counts = await Promise.all(scope.conversationIds.map((id) => this.client.del(this.keyOf(id))));
    return counts.reduce((sum, n) => sum + n, 0);
  }
}
