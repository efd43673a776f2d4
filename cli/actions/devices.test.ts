import { loadConfig } from '../../app/config';
import { createRedisStores } from '../../stores/redis';
import { startRedisServer, type RedisServer } from '../../test/support/redis-server';
import { addDevice, listDevices, removeDevice, rotateDeviceKey } from './devices';

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { out: (text: string) => out.push(text), err: (text: string) => err.push(text) }, out, err };
}

let redis: RedisServer;

beforeAll(async () => {
  redis = await startRedisServer();
}, 30_000);

afterAll(async () => {
  await redis?.stop();
});

// Commands report failure through process.exitCode, which other test files in this worker may have set.
beforeEach(() => {
  process.exitCode = undefined;
});
afterEach(() => {
  process.exitCode = undefined;
});

describe('parley devices', () => {
  it('adds a device for a known customer, lists it without its key, rotates the key and removes it', async () => {
    const config = loadConfig({ REDIS_URL: redis.url });
    const stores = await createRedisStores({ url: redis.url, retentionMs: config.retentionMs });
    try {
      await stores.identities.resolve(
        { channel: 'webchat', userId: 'w-1' },
        { customerId: 'webchat:w-1', conversationId: 'w-1' },
      );
      const added = capture();
      await addDevice({ device: 'rtr-1', owner: 'webchat:w-1', model: 'acme-router-x2' }, added.io, config);
      const key = /key: (\S+)/.exec(added.out.join(''))?.[1] ?? '';
      expect(key).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect((await stores.devices.registry.get('rtr-1'))?.secret).toBe(key);

      const listed = capture();
      await listDevices({}, listed.io, config);
      expect(listed.out.join('')).toMatch(/^rtr-1\tacme-router-x2\twebchat:w-1\tadded /);
      expect(listed.out.join('')).not.toContain(key);

      const rotated = capture();
      await rotateDeviceKey({ device: 'rtr-1' }, rotated.io, config);
      const newKey = /new key for rtr-1: (\S+)/.exec(rotated.out.join(''))?.[1];
      expect(newKey).toBeDefined();
      expect(newKey).not.toBe(key);
      expect((await stores.devices.registry.get('rtr-1'))?.secret).toBe(newKey);

      const removed = capture();
      await removeDevice({ device: 'rtr-1' }, removed.io, config);
      expect(removed.out.join('')).toBe('removed rtr-1\n');
      expect(await stores.devices.registry.get('rtr-1')).toBeUndefined();
      expect(process.exitCode).toBeUndefined();
    } finally {
      await stores.close();
    }
  });

  it('refuses an unknown owner, a bad id, a taken id and the in-memory store', async () => {
    const config = loadConfig({ REDIS_URL: redis.url });
    const unknown = capture();
    await addDevice({ device: 'rtr-2', owner: 'webchat:nobody', model: 'm' }, unknown.io, config);
    expect(unknown.err.join('')).toMatch(/no such customer/);
    expect(process.exitCode).toBe(1);

    process.exitCode = undefined;
    const badId = capture();
    await addDevice({ device: 'rtr/2', owner: 'x', model: 'm' }, badId.io, config);
    expect(badId.err.join('')).toMatch(/--device rtr\/2/);

    process.exitCode = undefined;
    const memory = capture();
    await listDevices({}, memory.io, loadConfig({}));
    expect(memory.err.join('')).toMatch(/set REDIS_URL/);
    expect(process.exitCode).toBe(1);

    process.exitCode = undefined;
    const missing = capture();
    await rotateDeviceKey({ device: 'ghost' }, missing.io, config);
    expect(missing.err.join('')).toBe('device ghost not found\n');
  });
});
