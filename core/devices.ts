import type { JsonObject } from './json';

/**
 * What flows can ask of connected devices, through their bot's implementations. The device connector
 * implements it (`connectors/devices/`); a bot without devices gets `NO_DEVICES`.
 */
export interface DeviceActions {
  /**
   * Sends a remote command to the device and resolves its receipt: the id its result will carry and the
   * deadline by which the flow stops waiting (kept in the flow's context, not in a timer).
   */
  sendCommand(deviceId: string, command: DeviceCommand, now: number): Promise<CommandReceipt>;
  /**
   * Tells the device's owner, on their last-used channel, that something happened (`notice` names the
   * catalogue sentence, `devices.notice.<notice>`); resolves what became of it.
   */
  notifyOwner(deviceId: string, notice: OwnerNotice, now: number): Promise<NoticeOutcome>;
  /**
   * Opens a case in the owner's own conversation with the device's diagnostics, and tells the owner a
   * person is on it. Resolves `reached: false` when the owner has no conversation to open it in.
   */
  escalate(deviceId: string, detail: string, now: number): Promise<{ reached: boolean }>;
  /** The customer's own devices and what they reported since `since`: nobody else's. */
  faultsOf(customerId: string, since: number): Promise<OwnedDeviceFaults[]>;
  /** The customer wants no more device notices. */
  stopNotices(customerId: string): Promise<void>;
}

export interface DeviceCommand {
  action: string;
  params: JsonObject;
}

export interface CommandReceipt {
  commandId: string;
  action: string;
  /** Epoch milliseconds. */
  deadline: number;
}

export interface OwnerNotice {
  /** `devices.notice.<notice>` in the owner's language. */
  notice: string;
  /** The fault event the notice is about (its `code` and `at`). */
  fault: JsonObject;
  /** The action taken (`restart`), when one was. */
  action?: string;
}

export type NoticeOutcome = 'sent' | 'opted_out' | 'unreachable';

export interface OwnedDeviceFaults {
  deviceId: string;
  model: string;
  /** Fault codes reported, oldest first. */
  faults: Array<{ code: string; at: number }>;
  /** Remote restarts Parley made. */
  restarts: number;
}

/** Thrown by `NO_DEVICES`: the bot runs without a device connector. */
export class DevicesUnavailableError extends Error {
  constructor() {
    super('no device connector is running');
    this.name = 'DevicesUnavailableError';
  }
}

/** For bots and tests without devices: look-ups find none, commands fail (flows handle `error`). */
export const NO_DEVICES: DeviceActions = {
  sendCommand: () => Promise.reject(new DevicesUnavailableError()),
  notifyOwner: async () => 'unreachable',
  escalate: async () => ({ reached: false }),
  faultsOf: async () => [],
  stopNotices: async () => undefined,
};
