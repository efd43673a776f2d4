import { randomBytes } from 'node:crypto';
import { createStores } from '../../app/bootstrap';
import { loadConfig, type ParleyConfig } from '../../app/config';
import { DEVICE_ID } from '../../connectors/devices/envelope';
import { SimulatedDevice, type SimulatedOutcome } from '../../connectors/devices/simulator';
import { DeviceExistsError, DeviceNotFoundError, type Stores } from '../../core/ports';
import { silentLogger } from '../../stores/silent-logger';
import type { CliOutput } from '../commands/flows';

/** A new device key: 32 random bytes, base64url (the HMAC key is this string's UTF-8 bytes). */
export function newDeviceSecret(): string {
  return randomBytes(32).toString('base64url');
}

function fail(io: CliOutput, message: string): void {
  io.err(`${message}\n`);
  process.exitCode = 1;
}

/** Runs `work` on the configured stores (Redis when REDIS_URL is set); refuses the in-memory store. */
async function withRegistry(
  io: CliOutput,
  work: (stores: Stores) => Promise<void>,
  config: ParleyConfig = loadConfig(),
): Promise<void> {
  if (config.store.kind === 'memory') {
    return fail(
      io,
      'the device registry is in a server’s memory: set REDIS_URL (or REDIS_CLUSTER_NODES) to manage it',
    );
  }
  const stores = await createStores(config, { logger: silentLogger });
  try {
    await work(stores);
  } finally {
    await stores.close();
  }
}

export interface AddOptions {
  device: string;
  owner: string;
  model: string;
  secret?: string;
}

/** `parley devices add`: registers a device to a known customer and prints its key once. */
export function addDevice(options: AddOptions, io: CliOutput, config?: ParleyConfig): Promise<void> {
  if (!DEVICE_ID.test(options.device)) {
    fail(io, `--device ${options.device}: use letters, digits, ".", "_" or "-" (at most 64)`);
    return Promise.resolve();
  }
  return withRegistry(
    io,
    async (stores) => {
      // The owner must be a customer Parley knows: notices and cases go to their conversation.
      if ((await stores.identities.addresses(options.owner)).length === 0)
        return fail(
          io,
          `--owner ${options.owner}: no such customer (ids look like webchat:<session> or twilio-sms:+1555…)`,
        );
      const secret = options.secret ?? newDeviceSecret();
      try {
        await stores.devices.registry.add({
          id: options.device,
          ownerId: options.owner,
          model: options.model,
          secret,
          addedAt: Date.now(),
        });
      } catch (error) {
        if (error instanceof DeviceExistsError)
          return fail(io, `device ${options.device} is already registered`);
        throw error;
      }
      io.out(`added ${options.device} (${options.model}) for ${options.owner}\nkey: ${secret}\n`);
    },
    config,
  );
}

/** `parley devices list`: every device (or an owner's), without keys. */
export function listDevices(
  options: { owner?: string },
  io: CliOutput,
  config?: ParleyConfig,
): Promise<void> {
  return withRegistry(
    io,
    async (stores) => {
      const devices = await stores.devices.registry.list(options.owner ? { ownerId: options.owner } : {});
      if (devices.length === 0) return io.out('no devices\n');
      for (const device of devices) {
        const added = new Date(device.addedAt).toISOString();
        const rotated = device.rotatedAt ? `  key rotated ${new Date(device.rotatedAt).toISOString()}` : '';
        io.out(`${device.id}\t${device.model}\t${device.ownerId}\tadded ${added}${rotated}\n`);
      }
    },
    config,
  );
}

/** `parley devices rotate-key`: a new key, effective at once; prints it once. */
export function rotateDeviceKey(
  options: { device: string },
  io: CliOutput,
  config?: ParleyConfig,
): Promise<void> {
  return withRegistry(
    io,
    async (stores) => {
      try {
        await stores.devices.registry.rotateKey(options.device, newDeviceSecret(), Date.now());
      } catch (error) {
        if (error instanceof DeviceNotFoundError) return fail(io, `device ${options.device} not found`);
        throw error;
      }
      const device = await stores.devices.registry.get(options.device);
      io.out(`new key for ${options.device}: ${device?.secret ?? ''}\n`);
    },
    config,
  );
}

/** `parley devices remove`. */
export function removeDevice(
  options: { device: string },
  io: CliOutput,
  config?: ParleyConfig,
): Promise<void> {
  return withRegistry(
    io,
    async (stores) => {
      if (await stores.devices.registry.remove(options.device)) io.out(`removed ${options.device}\n`);
      else fail(io, `device ${options.device} not found`);
    },
    config,
  );
}

export interface SimulateOptions {
  device: string;
  fault: string;
  /** The device's key; read from the configured registry when absent. */
  secret?: string;
  url?: string;
  mqtt?: string;
  outcome: SimulatedOutcome;
  /** How long to wait for a command before giving up (ms). */
  waitMs?: number;
}

/**
 * `parley devices simulate`: plays the device against a running server. It sends a signed fault, prints
 * the command Parley sends back (checking its signature), and answers it as `--outcome` says.
 */
export async function simulateDevice(
  options: SimulateOptions,
  io: CliOutput,
  config = loadConfig(),
): Promise<void> {
  let secret = options.secret;
  if (!secret) {
    await withRegistry(
      io,
      async (stores) => {
        secret = (await stores.devices.registry.get(options.device))?.secret;
      },
      config,
    );
    if (process.exitCode) return;
    if (!secret) return fail(io, `device ${options.device} not found: register it or pass --secret`);
  }
  const mqttUrl = options.mqtt;
  const httpUrl = options.url ?? (mqttUrl ? undefined : `http://127.0.0.1:${config.port}`);
  const device = await new SimulatedDevice({
    deviceId: options.device,
    secret,
    outcome: options.outcome,
    ...(mqttUrl ? { mqttUrl } : {}),
    ...(httpUrl ? { httpUrl } : {}),
    log: (line) => io.out(`${line}\n`),
  }).start();
  try {
    const sent = await device.send(device.fault(options.fault));
    if (sent.status !== undefined && sent.status !== 202)
      return fail(
        io,
        `Parley refused the fault (HTTP ${sent.status}): is the device registered with this key?`,
      );
    const command = await device.nextCommand(options.waitMs ?? 10_000).catch(() => undefined);
    if (!command) {
      io.out('no command came back: the flow escalated, or the fault was deduplicated within its window\n');
      return;
    }
    // Let the answer (result, then telemetry) reach Parley before disconnecting.
    await new Promise((resolve) => setTimeout(resolve, 500));
    io.out(`answered as "${options.outcome}"\n`);
  } finally {
    await device.stop();
  }
}
