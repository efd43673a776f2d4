import type { Case, CaseStatus } from '../../core/case';
import { CaseNotFoundError, type CaseStore, type Clock, type CustomerScope } from '../../core/ports';
import { caseInScope, tombstoneOf } from '../../core/privacy';
import { sortCases } from '../case-order';
import { LuaScript, type RedisClient } from './client';
import type { RedisKeys } from './keys';

// Every status, checked complete by the compiler so a new status cannot be missed by `list()`.
const STATUSES = Object.keys({ queued: true, assigned: true, resolved: true, closed: true } satisfies Record<
  CaseStatus,
  true
>) as CaseStatus[];

// KEYS: case. ARGV: the JSON read, the JSON to write, retentionMs. A compare-and-set on the whole
// document: 1 written, 0 someone wrote in between, -1 gone.
const COMPARE_AND_SET = new LuaScript(`
local current = redis.call('GET', KEYS[1])
if not current then return -1 end
if current ~= ARGV[1] then return 0 end
redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3])
return 1
`);

const MAX_ATTEMPTS = 100;

/**
 * Cases as JSON documents, one slot each, with a set of ids per status in the `{cases}` slot. On a cluster
 * the index cannot change in the same transaction as the case, so it may briefly lag: `list` re-checks
 * each case's status, and every writer re-adds the case's current status after touching the index.
 */
export class RedisCaseStore implements CaseStore {
  constructor(
    private readonly client: RedisClient,
    private readonly keys: RedisKeys,
    private readonly retentionMs: number,
    private readonly clock: Clock,
  ) {}

  async listByCustomer(scope: CustomerScope): Promise<Case[]> {
    return (await this.list()).filter((c) => !c.erasedAt && caseInScope(c, scope));
  }

  /** Replaces each of the customer's cases by its tombstone, through `update` so a claim cannot race it. */
  async eraseByCustomer(scope: CustomerScope): Promise<number> {
    const cases = await this.listByCustomer(scope);
    for (const item of cases) await this.update(item.id, (current) => tombstoneOf(current, this.clock.now()));
    return cases.length;
  }

  async create(item: Case): Promise<void> {
    const written = await this.client.set(
      this.keys.case(item.id),
      JSON.stringify(item),
      'PX',
      this.retentionMs,
      'NX',
    );
    if (written !== 'OK') throw new Error(`case ${item.id} already exists`);
    await this.index(item.id, undefined, item.status);
  }

  async get(id: string): Promise<Case | undefined> {
    const json = await this.client.get(this.keys.case(id));
    return json === null ? undefined : (JSON.parse(json) as Case);
  }

  async list(filter: { status?: CaseStatus } = {}): Promise<Case[]> {
    const statuses = filter.status ? [filter.status] : STATUSES;
    const ids = new Set(
      (await Promise.all(statuses.map((s) => this.client.smembers(this.keys.caseIndex(s))))).flat(),
    );
    const found = await Promise.all([...ids].map(async (id) => ({ id, item: await this.get(id) })));
    const expired = found.filter((f) => !f.item).map((f) => f.id);
    // Only ids whose case has expired are pruned: a status mismatch may be an update still in flight.
    if (expired.length > 0)
      await Promise.all(statuses.map((s) => this.client.srem(this.keys.caseIndex(s), ...expired)));
    const live = found.flatMap((f) => (f.item ? [f.item] : []));
    return sortCases(live.filter((c) => !filter.status || c.status === filter.status));
  }

  async update(id: string, change: (current: Case) => Case): Promise<Case> {
    const key = this.keys.case(id);
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt += 1) {
      const before = await this.client.get(key);
      if (before === null) throw new CaseNotFoundError(id);
      const current = JSON.parse(before) as Case;
      const next = change(JSON.parse(before) as Case);
      const after = JSON.stringify(next);
      const outcome = Number(
        await COMPARE_AND_SET.run(this.client, [key], [before, after, this.retentionMs]),
      );
      if (outcome === -1) throw new CaseNotFoundError(id);
      if (outcome === 1) {
        await this.index(id, current.status, next.status);
        return JSON.parse(after) as Case;
      }
      // Lost the race: back off a little (with jitter, so rivals do not collide again) and re-read.
      await new Promise((resolve) => setTimeout(resolve, Math.random() * Math.min(attempt, 10)));
    }
    throw new Error(`case ${id}: gave up after ${MAX_ATTEMPTS} conflicting updates`);
  }

  private async index(id: string, from: CaseStatus | undefined, to: CaseStatus): Promise<void> {
    const target = this.keys.caseIndex(to);
    if (from && from !== to) await this.client.srem(this.keys.caseIndex(from), id);
    await this.client.sadd(target, id);
    await this.client.pexpire(target, this.retentionMs);
    // A concurrent writer may have removed the id from the status the case has now; put it back.
    const now = await this.get(id);
    if (now && now.status !== to) {
      const repaired = this.keys.caseIndex(now.status);
      await this.client.sadd(repaired, id);
      await this.client.pexpire(repaired, this.retentionMs);
    }
  }
}
