import type { Pool } from 'pg';
import type { Clock, ConversationTranscript, CustomerScope, TranscriptStore } from '../../core/ports';
import type { TranscriptEntry } from '../../core/transcript';
import { normalisePage } from '../../transcripts/page';
import { checkKey, inTransaction } from './pool';

/**
 * Transcripts as numbered rows. Each conversation has a head row holding its line count; an append locks
 * the head (the upsert does), takes the next numbers and inserts its lines in the same transaction, so
 * concurrent appends from any number of processes never interleave or reuse a number. A transcript
 * expires `retentionMs` after its last append: reads stop seeing it at once, and the sweep deletes it.
 */
export class PostgresTranscriptStore implements TranscriptStore {
  constructor(
    private readonly pool: Pool,
    private readonly retentionMs: number,
    private readonly clock: Clock,
  ) {}

  async append(conversationId: string, entries: TranscriptEntry[]): Promise<void> {
    await this.appendTurn(conversationId, undefined, entries);
  }

  /**
   * Appends a turn's lines once: a second append with the same `turnKey` (a retry after the first
   * attempt's process died before its dedupe record was written) writes nothing. Resolves whether the
   * lines were written now.
   */
  async appendTurn(
    conversationId: string,
    turnKey: string | undefined,
    entries: TranscriptEntry[],
  ): Promise<boolean> {
    checkKey('conversationId', conversationId);
    if (turnKey !== undefined) checkKey('turnKey', turnKey);
    if (entries.length === 0) return false;
    const now = this.clock.now();
    const lines = entries.map((entry) => JSON.stringify(entry));
    return inTransaction(this.pool, async (client) => {
      // An expired transcript not swept yet starts over, as if the sweep had already run.
      await client.query('DELETE FROM parley_transcripts WHERE conversation_id = $1 AND written_at <= $2', [
        conversationId,
        this.cutoff(now),
      ]);
      // Locks the head: appends to one conversation are numbered one writer at a time.
      await client.query(
        `INSERT INTO parley_transcripts (conversation_id, line_count, written_at) VALUES ($1, 0, $2)
         ON CONFLICT (conversation_id) DO UPDATE SET written_at = EXCLUDED.written_at`,
        [conversationId, new Date(now)],
      );
      if (turnKey !== undefined) {
        const fresh = await client.query(
          `INSERT INTO parley_transcript_turns (conversation_id, turn_key) VALUES ($1, $2)
           ON CONFLICT DO NOTHING RETURNING turn_key`,
          [conversationId, turnKey],
        );
        if (fresh.rowCount === 0) return false;
      }
      const head = await client.query<{ line_count: number }>(
        `UPDATE parley_transcripts SET line_count = line_count + $2 WHERE conversation_id = $1
         RETURNING line_count`,
        [conversationId, lines.length],
      );
      const first = head.rows[0]!.line_count - lines.length;
      await client.query(
        `INSERT INTO parley_transcript_lines (conversation_id, seq, entry)
         SELECT $1, $2 + line.ordinality - 1, line.entry
         FROM unnest($3::json[]) WITH ORDINALITY AS line(entry, ordinality)`,
        [conversationId, first, lines],
      );
      return true;
    });
  }

  async read(conversationId: string, page?: { offset?: number; limit?: number }): Promise<TranscriptEntry[]> {
    checkKey('conversationId', conversationId);
    const { offset, limit } = normalisePage(page);
    if (limit === 0) return [];
    // Line numbers are dense from 0, so the offset is a key range rather than rows skipped one by one.
    const result = await this.pool.query<{ entry: TranscriptEntry }>(
      `SELECT line.entry FROM parley_transcript_lines line
       JOIN parley_transcripts head USING (conversation_id)
       WHERE conversation_id = $1 AND head.written_at > $2 AND line.seq >= $3
       ORDER BY line.seq
       LIMIT $4`,
      [conversationId, this.cutoff(this.clock.now()), offset, limit ?? null],
    );
    return result.rows.map((row) => row.entry);
  }

  async count(conversationId: string): Promise<number> {
    checkKey('conversationId', conversationId);
    const result = await this.pool.query<{ line_count: number }>(
      'SELECT line_count FROM parley_transcripts WHERE conversation_id = $1 AND written_at > $2',
      [conversationId, this.cutoff(this.clock.now())],
    );
    return result.rows[0]?.line_count ?? 0;
  }

  async listByCustomer(scope: CustomerScope): Promise<ConversationTranscript[]> {
    const result = await this.pool.query<{ conversation_id: string; entries: TranscriptEntry[] }>(
      `SELECT head.conversation_id, json_agg(line.entry ORDER BY line.seq) AS entries
       FROM parley_transcripts head JOIN parley_transcript_lines line USING (conversation_id)
       WHERE head.conversation_id = ANY($1) AND head.written_at > $2
       GROUP BY head.conversation_id ORDER BY head.conversation_id`,
      [[...scope.conversationIds], this.cutoff(this.clock.now())],
    );
    return result.rows.map((row) => ({ conversationId: row.conversation_id, entries: row.entries }));
  }

  /** Deletes the heads; lines and turn keys go with them (ON DELETE CASCADE). */
  async eraseByCustomer(scope: CustomerScope): Promise<number> {
    const result = await this.pool.query('DELETE FROM parley_transcripts WHERE conversation_id = ANY($1)', [
      [...scope.conversationIds],
    ]);
    return result.rowCount ?? 0;
  }

  private cutoff(now: number): Date {
    return new Date(now - this.retentionMs);
  }
}
