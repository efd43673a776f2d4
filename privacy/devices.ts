import type { JsonValue } from '../core/json';
import type { CustomerData, CustomerScope, DeviceStores } from '../core/ports';

/** How much of each device's recent history an export shows. */
const JOURNAL_LIMIT = 200;

/**
 * A customer's connected devices for export and erasure: each device they own (never its signing key)
 * with its recent history; erasure removes the devices from the registry. The journal has no delete in
 * its port: its entries (already redacted) expire with their retention.
 */
export function deviceData(devices: Pick<DeviceStores, 'registry' | 'journal'>): CustomerData<JsonValue> {
  const owned = (scope: CustomerScope) => devices.registry.list({ ownerId: scope.customerId });
  return {
    async listByCustomer(scope) {
      return Promise.all(
        (await owned(scope)).map(async (device) => ({
          id: device.id,
          model: device.model,
          addedAt: device.addedAt,
          ...(device.rotatedAt !== undefined ? { rotatedAt: device.rotatedAt } : {}),
          history: JSON.parse(
            JSON.stringify(await devices.journal.recent(device.id, { limit: JOURNAL_LIMIT })),
          ) as JsonValue,
        })),
      );
    },
    async eraseByCustomer(scope) {
      const removed = await Promise.all((await owned(scope)).map((d) => devices.registry.remove(d.id)));
      return removed.filter(Boolean).length;
    },
  };
}
