import { systemClock } from '../../core/defaults';
import { createMemoryStores } from '../../stores/memory';
import { createRedisStores } from '../../stores/redis';
import {
  startRedisCluster,
  startRedisServer,
  type RedisCluster,
  type RedisServer,
} from '../support/redis-server';
import { describeDeviceStores } from './devices.contract';

let server: RedisServer;
let cluster: RedisCluster;
let prefixes = 0;

beforeAll(async () => {
  [server, cluster] = await Promise.all([startRedisServer(), startRedisCluster(3)]);
}, 60_000);

afterAll(async () => {
  await Promise.all([server?.stop(), cluster?.stop()]);
});

describeDeviceStores('memory', async () => {
  const stores = createMemoryStores({ retentionMs: 60_000, clock: systemClock });
  return { devices: stores.devices, cleanup: () => stores.close() };
});

for (const [name, connection] of [
  ['Redis', () => ({ url: server.url })],
  ['Redis Cluster', () => ({ cluster: cluster.nodes })],
] as const) {
  describeDeviceStores(name, async () => {
    const keyPrefix = `dev${(prefixes += 1)}`;
    const [stores, peer] = await Promise.all([
      createRedisStores({ ...connection(), retentionMs: 60_000, keyPrefix }),
      createRedisStores({ ...connection(), retentionMs: 60_000, keyPrefix }),
    ]);
    return {
      devices: stores.devices,
      peer: peer.devices,
      cleanup: async () => {
        await Promise.all([stores.close(), peer.close()]);
      },
    };
  });
}
