import { randomUUID } from 'node:crypto';
import {
  DeviceExistsError,
  DeviceNotFoundError,
  type ClaimStore,
  type Device,
  type DeviceJournal,
  type DeviceJournalEntry,
  type DeviceRegistry,
  type DeviceStores,
} from '../../core/ports';
import type { RedisClient } from './client';
import type { RedisKeys } from './keys';
import { JOURNAL_LIMIT } from '../memory-devices';

/**
 * Devices on Redis (standalone or Cluster). A device's record is one key created with `SET NX`, so two
 * processes can never both register an id; the id sets are indexes, repaired on read when a record is gone.
 */
class RedisDeviceRegistry implements DeviceRegistry {
  constructor(
    private readonly client: RedisClient,
    private readonly keys: RedisKeys,
  ) {}

  async add(device: Device): Promise<void> {
    const created = await this.client.set(this.keys.device(device.id).record, JSON.stringify(device), 'NX');
    if (created !== 'OK') throw new DeviceExistsError(device.id);
    await this.client.sadd(this.keys.deviceIndex(), device.id);
    await this.client.sadd(this.keys.deviceIndex(device.ownerId), device.id);
  }

  async get(deviceId: string): Promise<Device | undefined> {
    const json = await this.client.get(this.keys.device(deviceId).record);
    return json === null ? undefined : (JSON.parse(json) as Device);
  }

  async list(filter: { ownerId?: string } = {}): Promise<Device[]> {
    const ids = await this.client.smembers(this.keys.deviceIndex(filter.ownerId));
    const found = await Promise.all(ids.map((id) => this.get(id)));
    return found
      .filter((device): device is Device => device !== undefined)
      .filter((device) => filter.ownerId === undefined || device.ownerId === filter.ownerId)
      .sort((a, b) => a.id.localeCompare(b.id));
  }

  async rotateKey(deviceId: string, secret: string, at: number): Promise<Device> {
    const current = await this.get(deviceId);
    if (!current) throw new DeviceNotFoundError(deviceId);
    const next: Device = { ...current, secret, rotatedAt: at };
    // XX: a device removed meanwhile stays removed.
    const written = await this.client.set(this.keys.device(deviceId).record, JSON.stringify(next), 'XX');
    if (written !== 'OK') throw new DeviceNotFoundError(deviceId);
    return next;
  }

  async remove(deviceId: string): Promise<boolean> {
    const device = await this.get(deviceId);
    const keys = this.keys.device(deviceId);
    const removed = await this.client.del(keys.record);
    await this.client.del(keys.journal);
    await this.client.del(keys.rate);
    await this.client.srem(this.keys.deviceIndex(), deviceId);
    if (device) await this.client.srem(this.keys.deviceIndex(device.ownerId), deviceId);
    return removed > 0;
  }
}

class RedisClaimStore implements ClaimStore {
  constructor(
    private readonly client: RedisClient,
    private readonly keys: RedisKeys,
  ) {}

  async claim(key: string, ttlMs: number): Promise<boolean> {
    const ttl = Math.max(1, Math.ceil(ttlMs));
    return (await this.client.set(this.keys.claim(key), '1', 'PX', ttl, 'NX')) === 'OK';
  }
}

class RedisDeviceJournal implements DeviceJournal {
  constructor(
    private readonly client: RedisClient,
    private readonly keys: RedisKeys,
    private readonly retentionMs: number,
  ) {}

  async append(deviceId: string, entry: DeviceJournalEntry): Promise<void> {
    const key = this.keys.device(deviceId).journal;
    await this.client
      .multi()
      .rpush(key, JSON.stringify(entry))
      .ltrim(key, -JOURNAL_LIMIT, -1)
      .pexpire(key, this.retentionMs)
      .exec();
  }

  async recent(
    deviceId: string,
    { since = 0, limit = JOURNAL_LIMIT }: { since?: number; limit?: number } = {},
  ): Promise<DeviceJournalEntry[]> {
    const lines = await this.client.lrange(this.keys.device(deviceId).journal, 0, -1);
    const entries = lines.map((line) => JSON.parse(line) as DeviceJournalEntry).filter((e) => e.at >= since);
    return limit > 0 ? entries.slice(-limit) : [];
  }

  async hit(deviceId: string, at: number, windowMs: number): Promise<number> {
    const key = this.keys.device(deviceId).rate;
    const results = await this.client
      .multi()
      .zremrangebyscore(key, '-inf', at - windowMs)
      .zadd(key, at, `${at}:${randomUUID()}`)
      .zcard(key)
      .pexpire(key, windowMs)
      .exec();
    const count = results?.[2]?.[1];
    return typeof count === 'number' ? count : 0;
  }
}

/** The device stores on one Redis connection (the same one as the other stores). */
export function createRedisDeviceStores(
  client: RedisClient,
  keys: RedisKeys,
  retentionMs: number,
): DeviceStores {
  return {
    registry: new RedisDeviceRegistry(client, keys),
    claims: new RedisClaimStore(client, keys),
    journal: new RedisDeviceJournal(client, keys, retentionMs),
  };
}
