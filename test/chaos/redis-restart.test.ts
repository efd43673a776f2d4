import { createTestDatabase, type TestDatabase } from '../support/postgres';
import { startRestartableRedis, type RestartableRedis } from '../support/restartable-redis';
import { startParleyProcess, type StartedParley } from '../support/parley-start';
import { isApology, runRestLoad, sleep, transcriptMessageIds } from '../support/chaos-load';

const COMMAND_TIMEOUT_MS = 500;
// A request may take the command timeout plus the turn's own work; anything longer is a hang.
const HANG_MS = COMMAND_TIMEOUT_MS + 2000;
// Reconnection attempts are ≤ 500 ms apart; the rest is a turn's own time on a busy machine.
const RECOVERY_MS = 2000;
const SENDERS = Number(process.env.PARLEY_CHAOS_SENDERS ?? 4);

describe('chaos: Redis killed and restarted while turns run (real processes)', () => {
  let redis: RestartableRedis;
  let database: TestDatabase;
  let parley: StartedParley;

  beforeAll(async () => {
    [redis, database] = await Promise.all([startRestartableRedis(), createTestDatabase()]);
    parley = await startParleyProcess(1, {
      REDIS_URL: redis.url,
      DATABASE_URL: database.url,
      PARLEY_REDIS_COMMAND_TIMEOUT_MS: String(COMMAND_TIMEOUT_MS),
    });
  }, 60_000);

  afterAll(async () => {
    await parley?.stop();
    await redis?.stop();
    await database?.drop();
  });

  it('never hangs, never answers an apology with 200, loses no acknowledged message, recovers at once', async () => {
    const load = runRestLoad(parley.url, SENDERS, HANG_MS + 5000);
    await sleep(1500);
    await redis.kill();
    const killedAt = Date.now();
    await sleep(1500);
    // "During" ends when the restart begins: Redis accepts a little before restart() sees it answer.
    const restartingAt = Date.now();
    await redis.restart();
    const restartedAt = Date.now();
    await sleep(2000);
    const attempts = await load.stop();

    const during = attempts.filter((a) => a.startedAt >= killedAt && a.startedAt < restartingAt);
    const after = attempts.filter((a) => a.startedAt >= restartedAt);
    expect(attempts.filter((a) => a.startedAt < killedAt && a.status === 200).length).toBeGreaterThan(0);
    expect(during.length).toBeGreaterThan(0);
    // No request waited beyond the command timeout (+ margin), and every one got an honest status.
    expect(attempts.filter((a) => a.ms > HANG_MS)).toEqual([]);
    expect(attempts.filter((a) => a.status !== 200 && a.status !== 503)).toEqual([]);
    expect(attempts.filter(isApology)).toEqual([]);
    expect(during.every((a) => a.status === 503)).toBe(true);
    // Turns succeed right after the restart: the first success comes within the reconnect delay.
    const firstSuccess = after.find((a) => a.status === 200);
    expect(firstSuccess).toBeDefined();
    expect((firstSuccess?.startedAt ?? Infinity) + (firstSuccess?.ms ?? 0) - restartedAt).toBeLessThan(
      RECOVERY_MS,
    );
    expect(after.filter((a) => a.startedAt > restartedAt + RECOVERY_MS && a.status !== 200)).toEqual([]);

    // Every message a client got a 200 for is in PostgreSQL's transcript (Redis kept nothing).
    const acknowledged = attempts.filter((a) => a.status === 200).map((a) => a.messageId);
    const senders = [...new Set(attempts.map((a) => `rest:${a.sender}`))];
    const recorded = await transcriptMessageIds(database.url, senders);
    expect(acknowledged.filter((id) => !recorded.has(id))).toEqual([]);
  }, 30_000);
});
