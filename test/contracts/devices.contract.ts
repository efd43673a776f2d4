import { DeviceExistsError, DeviceNotFoundError, type Device, type DeviceStores } from '../../core/ports';

export interface DeviceStoresFixture {
  devices: DeviceStores;
  /** Another process's view of the same backend, when the backend is shared. */
  peer?: DeviceStores;
  cleanup(): Promise<void>;
}

let sequence = 0;
const unique = (prefix: string) => `${prefix}-${(sequence += 1)}-${Date.now().toString(36)}`;

function device(overrides: Partial<Device> = {}): Device {
  return {
    id: unique('rtr'),
    ownerId: unique('cust'),
    model: 'acme-router-x2',
    secret: 'k1',
    addedAt: 1000,
    ...overrides,
  };
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** The device registry, claims and journal contract, run on every backend. */
export function describeDeviceStores(name: string, open: () => Promise<DeviceStoresFixture>): void {
  describe(`device stores: ${name}`, () => {
    let fixture: DeviceStoresFixture;
    beforeEach(async () => {
      fixture = await open();
    });
    afterEach(async () => {
      await fixture.cleanup();
    });

    it('registers, reads, lists by owner, rotates and removes', async () => {
      const { registry } = fixture.devices;
      const owner = unique('owner');
      const a = device({ ownerId: owner, id: unique('a') });
      const b = device({ ownerId: owner, id: unique('b') });
      const other = device();
      for (const item of [a, b, other]) await registry.add(item);
      expect(await registry.get(a.id)).toEqual(a);
      expect((await registry.list({ ownerId: owner })).map((d) => d.id)).toEqual([a.id, b.id].sort());
      expect((await registry.list()).map((d) => d.id)).toEqual(
        expect.arrayContaining([a.id, b.id, other.id]),
      );
      const rotated = await registry.rotateKey(a.id, 'k2', 5000);
      expect(rotated).toEqual({ ...a, secret: 'k2', rotatedAt: 5000 });
      expect((await registry.get(a.id))?.secret).toBe('k2');
      expect(await registry.remove(a.id)).toBe(true);
      expect(await registry.remove(a.id)).toBe(false);
      expect(await registry.get(a.id)).toBeUndefined();
      expect((await registry.list({ ownerId: owner })).map((d) => d.id)).toEqual([b.id]);
    });

    it('refuses a taken id and rotating an unknown device', async () => {
      const { registry } = fixture.devices;
      const first = device();
      await registry.add(first);
      await expect(registry.add({ ...first, ownerId: 'someone-else' })).rejects.toBeInstanceOf(
        DeviceExistsError,
      );
      expect((await registry.get(first.id))?.ownerId).toBe(first.ownerId);
      await expect(registry.rotateKey(unique('ghost'), 'k', 1)).rejects.toBeInstanceOf(DeviceNotFoundError);
      expect(await registry.get(unique('ghost'))).toBeUndefined();
    });

    it('grants a claim once until it expires, also across processes', async () => {
      const { claims } = fixture.devices;
      const key = unique('nonce');
      const racers = await Promise.all(
        Array.from({ length: 10 }, (_, i) =>
          (i % 2 && fixture.peer ? fixture.peer : fixture.devices).claims.claim(key, 150),
        ),
      );
      expect(racers.filter(Boolean)).toHaveLength(1);
      expect(await claims.claim(unique('other'), 150)).toBe(true);
      await sleep(200);
      expect(await claims.claim(key, 150)).toBe(true);
    });

    it('keeps a bounded, ordered journal and counts the event rate', async () => {
      const { journal } = fixture.devices;
      const id = unique('dev');
      for (let i = 0; i < 205; i += 1)
        await journal.append(id, { at: 1000 + i, kind: 'telemetry', data: { i } });
      const all = await journal.recent(id);
      expect(all).toHaveLength(200);
      expect(all[0]?.data).toEqual({ i: 5 });
      expect(all.at(-1)?.data).toEqual({ i: 204 });
      expect((await journal.recent(id, { since: 1200 })).map((e) => e.data.i)).toEqual([
        200, 201, 202, 203, 204,
      ]);
      expect((await journal.recent(id, { limit: 2 })).map((e) => e.data.i)).toEqual([203, 204]);
      expect(await journal.recent(unique('none'))).toEqual([]);
      const now = Date.now();
      expect(await journal.hit(id, now - 5000, 1000)).toBe(1);
      expect(await journal.hit(id, now, 1000)).toBe(1);
      expect(await journal.hit(id, now + 1, 1000)).toBe(2);
      expect(await (fixture.peer ?? fixture.devices).journal.hit(id, now + 2, 1000)).toBe(3);
    });
  });
}
