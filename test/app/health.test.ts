import { loadBotDefinition, startParley } from '../../app/bootstrap';
import { loadConfig } from '../../app/config';
import { silentLogger } from '../../stores/silent-logger';
import { startRedisServer } from '../support/redis-server';

describe('/healthz with the Redis store', () => {
  it('reports the store, and 503 once Redis stops answering', async () => {
    const redis = await startRedisServer();
    const config = loadConfig({
      PORT: '0',
      LOG_LEVEL: 'silent',
      PARLEY_RELOAD: 'false',
      REDIS_URL: redis.url,
    });
    const parley = await startParley(loadBotDefinition('acme'), config, { logger: silentLogger });
    try {
      const healthy = await fetch(`${parley.address.url}/healthz`);
      expect(healthy.status).toBe(200);
      expect(await healthy.json()).toEqual({
        status: 'ok',
        checks: {
          redis: { status: 'ok', latencyMs: expect.any(Number) },
          bus: { status: 'ok', latencyMs: expect.any(Number) },
        },
      });

      await redis.stop();
      const down = await fetch(`${parley.address.url}/healthz`);
      expect(down.status).toBe(503);
      expect(await down.json()).toMatchObject({
        status: 'degraded',
        checks: { redis: { status: 'failing' } },
      });
    } finally {
      await parley.close();
    }
  });
});
