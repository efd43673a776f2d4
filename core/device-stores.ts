import type { JsonObject } from './json';

/** A connected product registered to a customer: its events are signed with `secret`. */
export interface Device {
  /** Letters, digits, `.`, `_` and `-` (it appears in MQTT topics and URLs). */
  id: string;
  /** The customer id (identity port) the device belongs to: who is told about it. */
  ownerId: string;
  /** The product model (`acme-router-x2`): which faults the bot knows how to fix. */
  model: string;
  /** The HMAC-SHA256 key the device signs its events with, and Parley its commands. */
  secret: string;
  /** Epoch milliseconds. */
  addedAt: number;
  /** When the key was last rotated (epoch milliseconds). */
  rotatedAt?: number;
}

/** Thrown by `DeviceRegistry.add` when the id is taken. */
export class DeviceExistsError extends Error {
  constructor(readonly deviceId: string) {
    super(`device ${deviceId} is already registered`);
    this.name = 'DeviceExistsError';
  }
}

/** Thrown by `DeviceRegistry.rotateKey` for an unknown device. */
export class DeviceNotFoundError extends Error {
  constructor(readonly deviceId: string) {
    super(`device ${deviceId} not found`);
    this.name = 'DeviceNotFoundError';
  }
}

/** The devices Parley trusts, by id and by owner. Registrations do not expire: they are configuration. */
export interface DeviceRegistry {
  /** Registers a device; throws `DeviceExistsError` when the id is taken (atomic across processes). */
  add(device: Device): Promise<void>;
  get(deviceId: string): Promise<Device | undefined>;
  /** Every device, or an owner's devices only, sorted by id. */
  list(filter?: { ownerId?: string }): Promise<Device[]>;
  /** Replaces the key; the old one stops verifying at once. Throws `DeviceNotFoundError`. */
  rotateKey(deviceId: string, secret: string, at: number): Promise<Device>;
  /** Resolves false when there was no such device. */
  remove(deviceId: string): Promise<boolean>;
}

/**
 * One-time claims that expire: a nonce already seen (replay protection), a fault already handled within
 * its window (flood control). Shared by every process on the same backend.
 */
export interface ClaimStore {
  /** True for the first claim of `key` within `ttlMs`; false while an earlier claim is alive. Atomic. */
  claim(key: string, ttlMs: number): Promise<boolean>;
}

/** One entry of a device's history: what it reported, what Parley sent it, what it answered. */
export interface DeviceJournalEntry {
  at: number;
  kind: 'fault' | 'telemetry' | 'result' | 'command' | 'notice' | 'escalation';
  /** Already redacted (telemetry is customer data). */
  data: JsonObject;
}

/** A device's recent history, newest kept: diagnostics for cases and the owner's questions. */
export interface DeviceJournal {
  append(deviceId: string, entry: DeviceJournalEntry): Promise<void>;
  /** Entries at or after `since`, oldest first, at most `limit` (the newest ones). */
  recent(deviceId: string, options?: { since?: number; limit?: number }): Promise<DeviceJournalEntry[]>;
  /** Counts one received event and returns how many arrived within the last `windowMs` (event rate). */
  hit(deviceId: string, at: number, windowMs: number): Promise<number>;
}

/** The device stores, together. */
export interface DeviceStores {
  registry: DeviceRegistry;
  claims: ClaimStore;
  journal: DeviceJournal;
}
