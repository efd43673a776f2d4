import {
  DeviceExistsError,
  DeviceNotFoundError,
  type ClaimStore,
  type Clock,
  type Device,
  type DeviceJournal,
  type DeviceJournalEntry,
  type DeviceRegistry,
  type DeviceStores,
} from '../core/ports';

/** Entries kept per device: enough for a day of diagnostics, bounded whatever a device sends. */
export const JOURNAL_LIMIT = 200;

const copy = <T>(value: T): T => structuredClone(value);

class MemoryDeviceRegistry implements DeviceRegistry {
  private readonly devices = new Map<string, Device>();

  async add(device: Device): Promise<void> {
    if (this.devices.has(device.id)) throw new DeviceExistsError(device.id);
    this.devices.set(device.id, copy(device));
  }

  async get(deviceId: string): Promise<Device | undefined> {
    const device = this.devices.get(deviceId);
    return device && copy(device);
  }

  async list(filter: { ownerId?: string } = {}): Promise<Device[]> {
    return [...this.devices.values()]
      .filter((device) => filter.ownerId === undefined || device.ownerId === filter.ownerId)
      .sort((a, b) => a.id.localeCompare(b.id))
      .map(copy);
  }

  async rotateKey(deviceId: string, secret: string, at: number): Promise<Device> {
    const current = this.devices.get(deviceId);
    if (!current) throw new DeviceNotFoundError(deviceId);
    const next = { ...current, secret, rotatedAt: at };
    this.devices.set(deviceId, next);
    return copy(next);
  }

  async remove(deviceId: string): Promise<boolean> {
    return this.devices.delete(deviceId);
  }

  clear(): void {
    this.devices.clear();
  }
}

class MemoryClaimStore implements ClaimStore {
  private readonly claims = new Map<string, number>();

  constructor(private readonly clock: Clock) {}

  async claim(key: string, ttlMs: number): Promise<boolean> {
    const now = this.clock.now();
    const expiresAt = this.claims.get(key);
    if (expiresAt !== undefined && expiresAt > now) return false;
    this.claims.set(key, now + ttlMs);
    if (this.claims.size > 10_000) this.sweep(now);
    return true;
  }

  private sweep(now: number): void {
    for (const [key, expiresAt] of this.claims) if (expiresAt <= now) this.claims.delete(key);
  }

  clear(): void {
    this.claims.clear();
  }
}

class MemoryDeviceJournal implements DeviceJournal {
  private readonly entries = new Map<string, DeviceJournalEntry[]>();
  private readonly hits = new Map<string, number[]>();

  async append(deviceId: string, entry: DeviceJournalEntry): Promise<void> {
    const list = this.entries.get(deviceId) ?? [];
    list.push(copy(entry));
    if (list.length > JOURNAL_LIMIT) list.splice(0, list.length - JOURNAL_LIMIT);
    this.entries.set(deviceId, list);
  }

  async recent(
    deviceId: string,
    { since = 0, limit = JOURNAL_LIMIT }: { since?: number; limit?: number } = {},
  ): Promise<DeviceJournalEntry[]> {
    const list = (this.entries.get(deviceId) ?? []).filter((entry) => entry.at >= since);
    return limit > 0 ? list.slice(-limit).map(copy) : [];
  }

  async hit(deviceId: string, at: number, windowMs: number): Promise<number> {
    const recent = (this.hits.get(deviceId) ?? []).filter((time) => time > at - windowMs);
    recent.push(at);
    this.hits.set(deviceId, recent);
    return recent.length;
  }

  clear(): void {
    this.entries.clear();
    this.hits.clear();
  }
}

/** Devices in this process's memory: the default, for one process and tests. */
export function createMemoryDeviceStores(clock: Clock): DeviceStores & { clear(): void } {
  const registry = new MemoryDeviceRegistry();
  const claims = new MemoryClaimStore(clock);
  const journal = new MemoryDeviceJournal();
  return {
    registry,
    claims,
    journal,
    clear() {
      registry.clear();
      claims.clear();
      journal.clear();
    },
  };
}
