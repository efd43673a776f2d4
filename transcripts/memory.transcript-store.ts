import { copyAsJson } from '../core/json';
import type { Clock, ConversationTranscript, CustomerScope, TranscriptStore } from '../core/ports';
import type { TranscriptEntry } from '../core/transcript';
import { normalisePage } from './page';

interface Stored {
  entries: TranscriptEntry[];
  expiresAt: number;
}

/**
 * Transcripts in process memory. A transcript expires `retentionMs` after its last append, like the Redis
 * list it stands in for. Entries are copied through JSON on the way in and out, so callers can neither
 * mutate the record nor store something Redis could not.
 */
export class MemoryTranscriptStore implements TranscriptStore {
  private readonly transcripts = new Map<string, Stored>();
  private appendsSinceSweep = 0;

  constructor(
    private readonly retentionMs: number,
    private readonly clock: Clock,
  ) {}

  async append(conversationId: string, entries: TranscriptEntry[]): Promise<void> {
    this.appendNow(conversationId, entries);
  }

  /** `append` without the promise: lets a turn's commit write its lines in the same synchronous step. */
  appendNow(conversationId: string, entries: TranscriptEntry[]): void {
    if (entries.length === 0) return;
    this.appendOwned(conversationId, copyAsJson(entries) as TranscriptEntry[]);
  }

  /** `appendNow` for entries the caller already copied and hands over: no second copy. */
  appendOwned(conversationId: string, copies: TranscriptEntry[]): void {
    if (copies.length === 0) return;
    const stored = this.live(conversationId) ?? { entries: [], expiresAt: 0 };
    stored.entries.push(...copies);
    stored.expiresAt = this.clock.now() + this.retentionMs;
    this.transcripts.set(conversationId, stored);
    this.appendsSinceSweep += 1;
    if (this.appendsSinceSweep >= 1000) this.sweep();
  }

  async read(conversationId: string, page?: { offset?: number; limit?: number }): Promise<TranscriptEntry[]> {
    const { offset, limit } = normalisePage(page);
    const entries = this.live(conversationId)?.entries ?? [];
    const end = limit === undefined ? undefined : offset + limit;
    return copyAsJson(entries.slice(offset, end)) as TranscriptEntry[];
  }

  async count(conversationId: string): Promise<number> {
    return this.live(conversationId)?.entries.length ?? 0;
  }

  async listByCustomer(scope: CustomerScope): Promise<ConversationTranscript[]> {
    const found: ConversationTranscript[] = [];
    for (const conversationId of scope.conversationIds) {
      const entries = this.live(conversationId)?.entries;
      if (entries) found.push({ conversationId, entries: copyAsJson(entries) as TranscriptEntry[] });
    }
    return found;
  }

  async eraseByCustomer(scope: CustomerScope): Promise<number> {
    const held = scope.conversationIds.filter((id) => this.transcripts.has(id));
    for (const id of held) this.transcripts.delete(id);
    return held.length;
  }

  clear(): void {
    this.transcripts.clear();
  }

  /** Transcripts held, expired or not swept yet; for tests that check memory stays bounded. */
  get size(): number {
    return this.transcripts.size;
  }

  private live(conversationId: string): Stored | undefined {
    const stored = this.transcripts.get(conversationId);
    if (stored && stored.expiresAt <= this.clock.now()) {
      this.transcripts.delete(conversationId);
      return undefined;
    }
    return stored;
  }

  /** Forgets one conversation's transcript (the memory stores' cap evicted it). */
  drop(conversationId: string): void {
    this.transcripts.delete(conversationId);
  }

  /** Drops expired transcripts: every thousand appends, and on the memory stores' timer while idle. */
  sweep(): void {
    this.appendsSinceSweep = 0;
    const now = this.clock.now();
    for (const [id, stored] of this.transcripts) {
      if (stored.expiresAt <= now) this.transcripts.delete(id);
    }
  }
}
