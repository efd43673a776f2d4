import type { Pool } from 'pg';
import type { Clock, TranscriptStore } from '../../core/ports';
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
    checkKey('conversationId', conversationId);
    if (entries.length === 0) return;
    const now = this.clock.now();
    const lines = entries.map((entry) => JSON.stringify(entry));
    await inTransaction(this.pool, async (client) => {
      // An expired transcript not swept yet starts over, as if the sweep had already run.
      await client.query('DELETE FROM parley_transcripts WHERE conversation_id = $1 AND written_at <= $2', [
        conversationId,
        this.cutoff(now),
      ]);
      const head = await client.query<{ line_count: number }>(
        `INSERT INTO parley_transcripts (conversation_id, line_count, written_at) VALUES ($1, $2, $3)
         ON CONFLICT (conversation_id) DO UPDATE
           SET line_count = parley_transcripts.line_count + EXCLUDED.line_count, written_at = EXCLUDED.written_at
         RETURNING line_count`,
        [conversationId, lines.length, new Date(now)],
      );
      const first = head.rows[0]!.line_count - lines.length;
      await client.query(
        `INSERT INTO parley_transcript_lines (conversation_id, seq, entry)
         SELECT $1, $2 + line.ordinality - 1, line.entry
         FROM unnest($3::json[]) WITH ORDINALITY AS line(entry, ordinality)`,
        [conversationId, first, lines],
      );
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

  private cutoff(now: number): Date {
    return new Date(now - this.retentionMs);
  }
}
