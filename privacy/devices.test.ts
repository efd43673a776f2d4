import { createMemoryStores } from '../stores/memory';
import { seedCustomer } from '../test/support/privacy-seed';
import { customerRefFor } from './customer-ref';
import { createPrivacyService } from './privacy-service';

it("exports a customer's devices without their keys, with their history, and erasure removes them", async () => {
  const stores = createMemoryStores({ retentionMs: 60_000 });
  const seeded = await seedCustomer(stores, 1);
  const secret = 'device-signing-key-0123456789';
  await stores.devices.registry.add({
    id: 'router-1',
    ownerId: seeded.customerId,
    model: 'acme-router-x2',
    secret,
    addedAt: 5,
  });
  await stores.devices.registry.add({
    id: 'router-2',
    ownerId: 'someone-else',
    model: 'acme-router-x2',
    secret,
    addedAt: 5,
  });
  await stores.devices.journal.append('router-1', {
    at: Date.now(),
    kind: 'fault',
    data: { code: 'wan_down' },
  });
  const privacy = createPrivacyService({
    stores,
    clock: { now: () => Date.now() },
    customerRef: customerRefFor('k'),
  });
  const request = { actor: { kind: 'system' as const, id: 'test' } };
  const data = await privacy.exportCustomer(seeded.customerId, request);
  expect(data.devices).toEqual([
    {
      id: 'router-1',
      model: 'acme-router-x2',
      addedAt: 5,
      history: [expect.objectContaining({ kind: 'fault' })],
    },
  ]);
  expect(JSON.stringify(data)).not.toContain(secret);
  const report = await privacy.eraseCustomer(seeded.customerId, request);
  expect(report.erased['devices']).toBe(1);
  expect(await stores.devices.registry.get('router-1')).toBeUndefined();
  expect(await stores.devices.registry.get('router-2')).toBeDefined();
  await stores.close();
});
