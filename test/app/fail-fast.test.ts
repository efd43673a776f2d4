import { loadBotDefinition, startParley, type RunningParley } from '../../app/bootstrap';
import { loadConfig } from '../../app/config';
import { silentLogger } from '../../stores/silent-logger';
import { startRestartableRedis, type RestartableRedis } from '../support/restartable-redis';

const WEBHOOK = '/webhooks/rest/webhook';
const APOLOGY = /something went wrong/i;

async function post(base: string, message: string, id: string) {
  const started = Date.now();
  const res = await fetch(`${base}${WEBHOOK}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ sender: 'outage', message, metadata: { message_id: id } }),
  });
  return { status: res.status, headers: res.headers, text: await res.text(), ms: Date.now() - started };
}

describe('a Parley server while its Redis is down', () => {
  let redis: RestartableRedis;
  let parley: RunningParley;
  let base: string;

  beforeAll(async () => {
    redis = await startRestartableRedis();
    const config = loadConfig({
      PORT: '0',
      LOG_LEVEL: 'silent',
      PARLEY_RELOAD: 'false',
      REDIS_URL: redis.url,
      PARLEY_REDIS_COMMAND_TIMEOUT_MS: '500',
    });
    parley = await startParley(loadBotDefinition('acme'), config, { logger: silentLogger });
    base = parley.address.url;
  }, 60_000);

  afterAll(async () => {
    await parley?.close();
    await redis?.stop();
  });

  it('answers 503 with Retry-After at once, fails readiness, and takes the same message after recovery', async () => {
    expect((await fetch(`${base}/readyz`)).status).toBe(200);
    const first = await post(base, '/order_status', 'o1');
    expect(first.status).toBe(200);

    await redis.kill();
    const refused = await post(base, 'A1001', 'o2');
    // Before: a 10–19 s wait in the offline queue, then a 500 or a 200 carrying the apology.
    expect(refused.status).toBe(503);
    expect(refused.headers.get('retry-after')).toBe('2');
    expect(refused.text).not.toMatch(APOLOGY);
    expect(JSON.parse(refused.text)).toMatchObject({ error: 'unavailable' });
    expect(refused.ms).toBeLessThan(500 + 1000);

    const ready = await fetch(`${base}/readyz`);
    expect(ready.status).toBe(503);
    expect(await ready.json()).toEqual({ status: 'not_ready', failing: ['redis', 'bus'] });
    const health = (await (await fetch(`${base}/healthz`)).json()) as {
      checks: Record<string, { status: string; latencyMs: number }>;
    };
    expect(health.checks.redis).toEqual({ status: 'failing', latencyMs: expect.any(Number) });

    await redis.restart();
    const back = Date.now();
    let retried = await post(base, 'A1001', 'o2');
    while (retried.status !== 200 && Date.now() - back < 5000) retried = await post(base, 'A1001', 'o2');
    // Recovery follows Redis within the reconnect delay, not ~18 s later.
    expect(Date.now() - back).toBeLessThan(1500);
    expect(retried.status).toBe(200);
    // The refused attempt was not recorded as processed: the retry is a real turn, not a replayed apology.
    // (This Redis keeps nothing on disk, so the dialog restarted: A1001 is just a new message to it.)
    expect(retried.text).not.toMatch(APOLOGY);
    expect(JSON.parse(retried.text)).not.toHaveLength(0);
    expect((await fetch(`${base}/readyz`)).status).toBe(200);
  }, 30_000);
});
