import type { Pool } from 'pg';
import type { Case, CaseStatus } from '../../core/case';
import { CaseNotFoundError, type CaseStore, type Clock, type CustomerScope } from '../../core/ports';
import { tombstoneOf } from '../../core/privacy';
import { checkKey, inTransaction } from './pool';

interface CaseRow {
  document: Case;
}

/**
 * Cases as one row each: the whole document as JSON, with the columns the queue is read by (status,
 * creation time). `update` locks the row (`SELECT … FOR UPDATE`) for the read-change-write, so of two
 * agents claiming a case, the second sees the first's claim. A case expires `retentionMs` after its last
 * write: reads stop seeing it at once, and the sweep deletes it.
 */
export class PostgresCaseStore implements CaseStore {
  constructor(
    private readonly pool: Pool,
    private readonly retentionMs: number,
    private readonly clock: Clock,
  ) {}

  async create(item: Case): Promise<void> {
    checkKey('case id', item.id);
    const now = this.clock.now();
    // An expired case not swept yet may be replaced, as if the sweep had already run.
    const result = await this.pool.query(
      `INSERT INTO parley_cases (id, conversation_id, customer_id, status, created_at, document, written_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7)
       ON CONFLICT (id) DO UPDATE SET
         conversation_id = EXCLUDED.conversation_id, customer_id = EXCLUDED.customer_id,
         status = EXCLUDED.status, created_at = EXCLUDED.created_at, document = EXCLUDED.document,
         written_at = EXCLUDED.written_at
       WHERE parley_cases.written_at <= $8`,
      [...this.columns(item), new Date(now), this.cutoff(now)],
    );
    if (result.rowCount !== 1) throw new Error(`case ${item.id} already exists`);
  }

  async get(id: string): Promise<Case | undefined> {
    checkKey('case id', id);
    const result = await this.pool.query<CaseRow>(
      'SELECT document FROM parley_cases WHERE id = $1 AND written_at > $2',
      [id, this.cutoff(this.clock.now())],
    );
    return result.rows[0]?.document;
  }

  async list(filter: { status?: CaseStatus } = {}): Promise<Case[]> {
    // sortCases' order: oldest first, then by id. COLLATE "C" compares bytes, as JavaScript's `<` does for
    // ids in the Basic Multilingual Plane, whatever the database's locale.
    const result = await this.pool.query<CaseRow>(
      `SELECT document FROM parley_cases
       WHERE written_at > $1 AND ($2::text IS NULL OR status = $2)
       ORDER BY created_at, id COLLATE "C"`,
      [this.cutoff(this.clock.now()), filter.status ?? null],
    );
    return result.rows.map((row) => row.document);
  }

  async update(id: string, change: (current: Case) => Case): Promise<Case> {
    checkKey('case id', id);
    return inTransaction(this.pool, async (client) => {
      const now = this.clock.now();
      const found = await client.query<CaseRow>(
        'SELECT document FROM parley_cases WHERE id = $1 AND written_at > $2 FOR UPDATE',
        [id, this.cutoff(now)],
      );
      const current = found.rows[0]?.document;
      if (!current) throw new CaseNotFoundError(id);
      // Through JSON, as on the way in and out: what is returned is exactly what was stored.
      const next = JSON.parse(JSON.stringify(change(current))) as Case;
      if (next.id !== id) throw new Error(`case ${id}: an update may not change the case id`);
      await client.query(
        `UPDATE parley_cases SET conversation_id = $2, customer_id = $3, status = $4, created_at = $5,
           document = $6, written_at = $7
         WHERE id = $1`,
        [...this.columns(next), new Date(now)],
      );
      return next;
    });
  }

  async listByCustomer(scope: CustomerScope): Promise<Case[]> {
    const result = await this.pool.query<CaseRow>(
      `SELECT document FROM parley_cases
       WHERE (customer_id = $1 OR conversation_id = ANY($2)) AND written_at > $3
       ORDER BY created_at, id COLLATE "C"`,
      [scope.customerId, [...scope.conversationIds], this.cutoff(this.clock.now())],
    );
    return result.rows.map((row) => row.document);
  }

  /** Replaces every case of the customer, expired ones included, by its tombstone, in one transaction. */
  async eraseByCustomer(scope: CustomerScope): Promise<number> {
    return inTransaction(this.pool, async (client) => {
      const found = await client.query<CaseRow>(
        `SELECT document FROM parley_cases WHERE customer_id = $1 OR conversation_id = ANY($2) FOR UPDATE`,
        [scope.customerId, [...scope.conversationIds]],
      );
      const now = this.clock.now();
      for (const { document } of found.rows) {
        const tombstone = tombstoneOf(document, now);
        await client.query(
          `UPDATE parley_cases SET conversation_id = $2, customer_id = $3, status = $4, created_at = $5,
             document = $6, written_at = $7
           WHERE id = $1`,
          [...this.columns(tombstone), new Date(now)],
        );
      }
      return found.rowCount ?? 0;
    });
  }

  private columns(item: Case): [string, string, string, CaseStatus, number, string] {
    return [item.id, item.conversationId, item.customerId, item.status, item.createdAt, JSON.stringify(item)];
  }

  private cutoff(now: number): Date {
    return new Date(now - this.retentionMs);
  }
}
