import { Client } from 'pg';
import { createTestDatabase, type TestDatabase } from '../support/postgres';
import { plainRequest, startParleyProcess, type StartedParley } from '../support/parley-start';
import { isApology, runRestLoad, sleep, transcriptMessageIds } from '../support/chaos-load';

const QUERY_TIMEOUT_MS = 500;
const HANG_MS = QUERY_TIMEOUT_MS * 2 + 2000;
const RECOVERY_MS = 2000;
const SENDERS = Number(process.env.PARLEY_CHAOS_SENDERS ?? 4);

/**
 * PostgreSQL "goes down" for this database without root: new connections are refused
 * (ALLOW_CONNECTIONS false) and every open one is terminated (pg_terminate_backend).
 */
async function takeDown(admin: Client, name: string): Promise<void> {
  await admin.query(`ALTER DATABASE ${name} WITH ALLOW_CONNECTIONS false`);
  // A connection that was starting while the ALTER committed can still get in (it may not even be listed
  // yet): terminate until none has been seen for several checks in a row.
  let quiet = 0;
  for (let round = 0; round < 100 && quiet < 5; round += 1) {
    const { rows } = await admin.query<{ pid: number }>(
      'SELECT pid FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()',
      [name],
    );
    quiet = rows.length === 0 ? quiet + 1 : 0;
    if (rows.length > 0) {
      await admin.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1', [name]);
    }
    await sleep(40);
  }
  if (quiet >= 5) return;
  throw new Error(`connections to ${name} kept coming back`);
}

describe('chaos: PostgreSQL connections terminated and refused while turns run (real process)', () => {
  let database: TestDatabase;
  let parley: StartedParley;
  let admin: Client;

  beforeAll(async () => {
    database = await createTestDatabase();
    admin = new Client({ connectionString: 'postgres://postgres@127.0.0.1:5432/postgres' });
    await admin.connect();
    parley = await startParleyProcess(1, {
      DATABASE_URL: database.url,
      PARLEY_POSTGRES_QUERY_TIMEOUT_MS: String(QUERY_TIMEOUT_MS),
      PARLEY_POSTGRES_CONNECT_TIMEOUT_MS: String(QUERY_TIMEOUT_MS),
    });
  }, 60_000);

  afterAll(async () => {
    await parley?.stop();
    await admin?.query(`ALTER DATABASE ${database.name} WITH ALLOW_CONNECTIONS true`).catch(() => undefined);
    await admin?.end();
    await database?.drop();
  });

  it('fails fast with 503 while the database is away and recovers as soon as it is back', async () => {
    const load = runRestLoad(parley.url, SENDERS, HANG_MS + 5000);
    await sleep(1500);
    await takeDown(admin, database.name);
    // Requests that start in the next 100 ms are left out of "during": a margin for ones already in flight.
    const downAt = Date.now();
    await sleep(700);
    const notReady = await plainRequest(`${parley.url}/readyz`);
    const health = await plainRequest(`${parley.url}/healthz`);
    await sleep(800);
    // "During" ends when the ALTER is sent: a request racing it may already find the database open.
    const reopenAt = Date.now();
    await admin.query(`ALTER DATABASE ${database.name} WITH ALLOW_CONNECTIONS true`);
    const backAt = Date.now();
    await sleep(2000);
    const ready = await plainRequest(`${parley.url}/readyz`);
    const attempts = await load.stop();

    const during = attempts.filter((a) => a.startedAt >= downAt + 100 && a.startedAt < reopenAt);
    const after = attempts.filter((a) => a.startedAt >= backAt);
    expect(attempts.filter((a) => a.startedAt < downAt && a.status === 200).length).toBeGreaterThan(0);
    expect(during.length).toBeGreaterThan(0);
    expect(during.filter((a) => a.status !== 503).map((a) => `${a.status} ${a.ms}ms ${a.body}`)).toEqual([]);
    expect(attempts.filter((a) => a.ms > HANG_MS)).toEqual([]);
    expect(attempts.filter((a) => a.status !== 200 && a.status !== 503)).toEqual([]);
    expect(attempts.filter(isApology)).toEqual([]);
    const firstSuccess = after.find((a) => a.status === 200);
    expect(firstSuccess).toBeDefined();
    expect((firstSuccess?.startedAt ?? Infinity) + (firstSuccess?.ms ?? 0) - backAt).toBeLessThan(
      RECOVERY_MS,
    );
    expect(after.filter((a) => a.startedAt > backAt + RECOVERY_MS && a.status !== 200)).toEqual([]);

    expect(notReady.status).toBe(503);
    expect(JSON.parse(notReady.body)).toEqual({ status: 'not_ready', failing: ['postgres'] });
    expect(JSON.parse(health.body)).toMatchObject({ checks: { postgres: { status: 'failing' } } });
    expect(ready.status).toBe(200);

    const acknowledged = attempts.filter((a) => a.status === 200).map((a) => a.messageId);
    const senders = [...new Set(attempts.map((a) => `rest:${a.sender}`))];
    const recorded = await transcriptMessageIds(database.url, senders);
    expect(acknowledged.filter((id) => !recorded.has(id))).toEqual([]);
  }, 30_000);
});
