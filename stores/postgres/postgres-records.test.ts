import { Client } from 'pg';
import type { Case } from '../../core/case';
import type { TranscriptEntry } from '../../core/transcript';
import { emptyRecordTables } from '../../test/contracts/postgres-fixture';
import { FakeClock } from '../../test/support/fake-clock';
import { createTestDatabase, type TestDatabase } from '../../test/support/postgres';
import { createMemoryStores } from '../memory';
import { migrateDatabase, openPostgresRecords, withDurableRecords, type PostgresRecords } from '.';

const retentionMs = 60_000;
let database: TestDatabase;
let opened: PostgresRecords[];

beforeAll(async () => {
  database = await createTestDatabase();
});

afterAll(async () => {
  await database?.drop();
});

beforeEach(() => {
  opened = [];
});

afterEach(async () => {
  await Promise.all(opened.map((records) => records.close()));
  await emptyRecordTables(database.url);
});

async function open(
  options: {
    clock?: FakeClock;
    sweepIntervalMs?: number;
    consentRetentionMs?: number;
    auditRetentionMs?: number;
  } = {},
): Promise<PostgresRecords> {
  const records = await openPostgresRecords({
    databaseUrl: database.url,
    retentionMs,
    migrate: false,
    sweepIntervalMs: 0,
    ...options,
  });
  opened.push(records);
  return records;
}

async function countRows(table: string): Promise<number> {
  const client = new Client({ connectionString: database.url });
  await client.connect();
  try {
    const result = await client.query<{ n: string }>(`SELECT count(*) AS n FROM ${table}`);
    return Number(result.rows[0]!.n);
  } finally {
    await client.end();
  }
}

function queuedCase(id: string): Case {
  return {
    id,
    conversationId: `conv-${id}`,
    customerId: 'cust-1',
    channels: ['webchat'],
    queue: 'billing',
    priority: 0,
    status: 'queued',
    createdAt: 1,
    updatedAt: 1,
    package: {
      version: 1,
      reason: 'complaint',
      summary: { slots: {}, tried: [] },
      customer: { id: 'cust-1', identities: [] },
      transcript: [],
    },
  };
}

const line = (text: string): TranscriptEntry => ({ at: 1, speaker: 'customer', channel: 'webchat', text });

describe('PostgreSQL records shared by several processes', () => {
  it('lets exactly one of five instances claim a case', async () => {
    const instances = await Promise.all(Array.from({ length: 5 }, () => open()));
    await instances[0]!.cases.create(queuedCase('case-1'));
    const results = await Promise.allSettled(
      instances.map((records, i) =>
        records.cases.update('case-1', (c) => {
          if (c.status !== 'queued') throw new Error(`already ${c.status}`);
          return { ...c, status: 'assigned', owner: `agent-${i}` };
        }),
      ),
    );
    const won = results.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
    expect(won).toHaveLength(1);
    const losers = results.flatMap((r) => (r.status === 'rejected' ? [String(r.reason)] : []));
    expect(losers).toEqual(Array.from({ length: 4 }, () => 'Error: already assigned'));
    expect((await instances[4]!.cases.get('case-1'))?.owner).toBe(won[0]!.owner);
  });

  it('numbers concurrent appends from two instances without interleaving a batch', async () => {
    const [a, b] = [await open(), await open()];
    const batches = Array.from({ length: 30 }, (_, batch) =>
      Array.from({ length: 3 }, (_, i) => line(`batch ${batch} line ${i}`)),
    );
    await Promise.all(batches.map((entries, i) => (i % 2 ? a : b).transcripts.append('conv-1', entries)));
    const all = (await a.transcripts.read('conv-1')).map((e) => e.text!);
    expect(await b.transcripts.count('conv-1')).toBe(90);
    expect(new Set(all).size).toBe(90);
    for (let start = 0; start < 90; start += 3) {
      const batch = all[start]!.split(' ')[1];
      expect(all.slice(start, start + 3)).toEqual([0, 1, 2].map((i) => `batch ${batch} line ${i}`));
    }
  });
});

describe('PostgreSQL record fidelity and keys', () => {
  it('stores any text a caller holds, and refuses keys PostgreSQL would alter', async () => {
    const records = await open();
    const odd = line('NUL \u0000, lone \ud800 surrogate, emoji 😀, quote " and backslash \\');
    await records.transcripts.append('conv-odd', [odd]);
    expect(await records.transcripts.read('conv-odd')).toEqual([odd]);
    await expect(records.transcripts.append('conv\u0000x', [odd])).rejects.toThrow(RangeError);
    await expect(records.transcripts.count('conv\ud800')).rejects.toThrow(RangeError);
    await expect(records.cases.create(queuedCase('case\udc00'))).rejects.toThrow(RangeError);
  });

  it('refuses an update that would change the case id, writing nothing', async () => {
    const records = await open();
    await records.cases.create(queuedCase('case-1'));
    await expect(
      records.cases.update('case-1', (c) => ({ ...c, id: 'case-2', priority: 9 })),
    ).rejects.toThrow(/may not change the case id/);
    expect(await records.cases.get('case-1')).toEqual(queuedCase('case-1'));
    expect(await records.cases.get('case-2')).toBeUndefined();
  });
});

describe('consent, audit and analytics logs', () => {
  it("lists a subject's records in write order, the newest `limit` when asked, within retention", async () => {
    const clock = new FakeClock();
    const records = await open({ clock });
    const consent = (granted: boolean, at: number) => ({
      customerId: 'cust-1',
      purpose: 'transcript_storage',
      granted,
      at,
      channel: 'webchat' as const,
    });
    await records.consent.append(consent(true, 1));
    await records.consent.append({ ...consent(false, 2), customerId: 'cust-2' });
    clock.advance(retentionMs - 10);
    await records.consent.append(consent(false, 3));
    expect(await records.consent.list('cust-1')).toEqual([consent(true, 1), consent(false, 3)]);
    expect(await records.consent.list('cust-1', { limit: 1 })).toEqual([consent(false, 3)]);
    expect(await records.consent.list('cust-3')).toEqual([]);
    await expect(records.consent.list('cust-1', { limit: -1 })).rejects.toThrow(RangeError);
    clock.advance(10);
    expect(await records.consent.list('cust-1')).toEqual([consent(false, 3)]);
    expect(await records.consent.list('cust-2')).toEqual([]);

    const audit = {
      at: 5,
      actor: 'agent-7',
      action: 'case.claimed',
      subject: 'case-1',
      data: { queue: 'billing' },
    };
    await records.audit.append(audit);
    expect(await records.audit.list('case-1')).toEqual([audit]);
    const event = {
      at: 6,
      name: 'intent.matched',
      conversationId: 'conv-1',
      data: { intent: 'order_status' },
    };
    await records.analytics.append(event);
    expect(await records.analytics.list('conv-1')).toEqual([event]);
    expect(await records.analytics.list('case-1')).toEqual([]);
  });
});

describe('retention sweep', () => {
  async function writeEverything(records: PostgresRecords, suffix: string): Promise<void> {
    await records.transcripts.append(`conv-${suffix}`, [line('a'), line('b')]);
    await records.cases.create(queuedCase(`case-${suffix}`));
    await records.consent.append({ customerId: `cust-${suffix}`, purpose: 'p', granted: true, at: 1 });
    await records.audit.append({ at: 1, actor: 'a', action: 'x', subject: `s-${suffix}` });
    await records.analytics.append({ at: 1, name: 'n', conversationId: `conv-${suffix}` });
  }

  it('deletes every row written retentionMs or longer ago, and nothing newer', async () => {
    const clock = new FakeClock();
    // Consent and audit have periods of their own; here they are set to the shared one.
    const records = await open({ clock, consentRetentionMs: retentionMs, auditRetentionMs: retentionMs });
    await writeEverything(records, 'old');
    clock.advance(retentionMs / 2);
    await writeEverything(records, 'new');
    expect(await records.sweep()).toEqual({
      parley_transcripts: 0,
      parley_cases: 0,
      parley_consent_records: 0,
      parley_audit_events: 0,
      parley_analytics_events: 0,
    });
    clock.advance(retentionMs / 2);
    expect(await records.sweep()).toEqual({
      parley_transcripts: 1,
      parley_cases: 1,
      parley_consent_records: 1,
      parley_audit_events: 1,
      parley_analytics_events: 1,
    });
    expect(await countRows('parley_transcript_lines')).toBe(2); // the old lines went with their head
    expect(await records.transcripts.count('conv-new')).toBe(2);
    expect((await records.cases.list()).map((c) => c.id)).toEqual(['case-new']);
  });

  it('runs on its interval until closed', async () => {
    const clock = new FakeClock();
    const records = await open({ clock, sweepIntervalMs: 20, auditRetentionMs: retentionMs });
    await writeEverything(records, 'old');
    clock.advance(retentionMs);
    const deadline = Date.now() + 3000;
    while ((await countRows('parley_cases')) > 0 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    expect(await countRows('parley_cases')).toBe(0);
    expect(await countRows('parley_transcript_lines')).toBe(0);
    await records.close();
    await writeEverything(records, 'after-close').catch(() => undefined); // the pool is gone: nothing written
    expect(await countRows('parley_audit_events')).toBe(0);
  });
});

it('keeps consent and audit rows for their own periods', async () => {
  const clock = new FakeClock();
  const records = await open({
    clock,
    consentRetentionMs: retentionMs * 3,
    auditRetentionMs: retentionMs * 2,
  });
  await records.consentLedger.record({
    customerId: 'c',
    purpose: 'analytics',
    granted: true,
    at: 1,
    wordingVersion: 'v1',
  });
  await records.auditTrail.append({
    at: 1,
    actor: { kind: 'system', id: 's' },
    action: 'read',
    target: 't',
    customerRef: 'r',
  });
  clock.advance(retentionMs);
  expect(await records.sweep()).toMatchObject({ parley_consent_records: 0, parley_audit_events: 0 });
  expect(await records.auditTrail.list({ customerRef: 'r' })).toHaveLength(1);
  clock.advance(retentionMs);
  expect(await records.sweep()).toMatchObject({ parley_consent_records: 0, parley_audit_events: 1 });
  expect(await records.consentLedger.history('c')).toHaveLength(1);
  clock.advance(retentionMs);
  expect(await records.sweep()).toMatchObject({ parley_consent_records: 1 });
});

describe('migrations', () => {
  it('apply once, from several processes at the same time, and then have nothing left to do', async () => {
    const fresh = await createTestDatabase({ migrate: false });
    try {
      const runs = await Promise.all([1, 2, 3].map(() => migrateDatabase({ databaseUrl: fresh.url })));
      expect(runs.flat()).toEqual([
        '1764892800000_durable-records',
        '1764979200000_transcript-turns',
        '1765152000000_analytics-reads',
      ]);
      expect(await migrateDatabase({ databaseUrl: fresh.url })).toEqual([]);
      const records = await openPostgresRecords({ databaseUrl: fresh.url, retentionMs, sweepIntervalMs: 0 });
      await records.cases.create(queuedCase('case-1'));
      expect(await records.cases.get('case-1')).toEqual(queuedCase('case-1'));
      await records.close();
    } finally {
      await fresh.drop();
    }
  });
});

describe('openPostgresRecords', () => {
  it('rejects with the address but not the password when PostgreSQL does not answer', async () => {
    const failure = openPostgresRecords({
      databaseUrl: 'postgres://parley:s3cret@127.0.0.1:1/parley',
      retentionMs,
      migrate: false,
      queryTimeoutMs: 2000,
    });
    await expect(failure).rejects.toThrow(
      /could not connect to PostgreSQL at postgres:\/\/parley@127\.0\.0\.1:1\/parley: .*ECONNREFUSED/,
    );
    await expect(failure).rejects.not.toThrow(/s3cret/);
  });

  it('makes the composed stores unhealthy while PostgreSQL is closed', async () => {
    const records = await open();
    const stores = withDurableRecords(createMemoryStores({ retentionMs }), records);
    await expect(stores.ping()).resolves.toBeUndefined();
    await records.close();
    await expect(stores.ping()).rejects.toThrow();
    await stores.close();
  });
});
