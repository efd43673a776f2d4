import type { DeviceDiagnostics } from '../../core/case';
import type {
  CommandReceipt,
  DeviceActions,
  DeviceCommand,
  NoticeOutcome,
  OwnedDeviceFaults,
  OwnerNotice,
} from '../../core/devices';
import { ConversationNotFoundError } from '../../core/errors';
import type { JsonObject } from '../../core/json';
import type { Reply } from '../../core/message';
import type { MessageCatalogue } from '../../core/messages';
import type { Clock, Device, DeviceJournalEntry, IdGenerator, Logger, Stores } from '../../core/ports';
import type { TranscriptEntry } from '../../core/transcript';
import type { OutOfTurnInput } from '../../core/turn';
import { seal, type CommandBody, type Envelope } from './envelope';

/** What the device actions need from the running Parley (a `ParleyRuntime` has all of it). */
export interface DeviceRuntime {
  stores: Pick<Stores, 'devices' | 'identities' | 'keyValue'>;
  pipeline: { apply(conversationId: string, input: OutOfTurnInput): Promise<TranscriptEntry[]> };
  messages: MessageCatalogue;
}

export interface DeviceActionsDeps {
  runtime: DeviceRuntime;
  clock: Clock;
  ids: IdGenerator;
  logger: Logger;
  /** Sends a signed command to the device (MQTT); HTTP devices also get it with their next answer. */
  deliver(deviceId: string, command: Envelope): Promise<void>;
  /** How long a flow waits for a command's result and the telemetry after it. */
  commandTimeoutMs: number;
  /** Called with each command's deadline, so the sweeper can prod the flow once it passes. */
  awaiting(deviceId: string, deadline: number): void;
}

/** The payload an owner taps to stop device notices (the acme `stop_device_notices` intent). */
export const STOP_NOTICES_PAYLOAD = '/stop_device_notices';

const optOutKey = (ownerId: string) => `devices:notices-off:${ownerId}`;
const DAY_MS = 24 * 60 * 60 * 1000;
const MINUTE_MS = 60_000;

function text(data: JsonObject, key: string): string | undefined {
  const value = data[key];
  return typeof value === 'string' ? value : undefined;
}

function hhmm(at: number): string {
  return new Date(at).toISOString().slice(11, 16);
}

/** The device actions flows use (`core/devices.ts`), over the device stores and the pipeline. */
export function createDeviceActions(deps: DeviceActionsDeps): DeviceActions {
  const { runtime, clock, ids } = deps;
  const { devices, identities, keyValue } = runtime.stores;

  async function deviceOf(deviceId: string): Promise<Device> {
    const device = await devices.registry.get(deviceId);
    if (!device) throw new Error(`device ${deviceId} is not registered`);
    return device;
  }

  /** The owner's active conversation (where they last wrote from), if they ever wrote. */
  async function ownerConversation(ownerId: string): Promise<string | undefined> {
    const [address] = await identities.addresses(ownerId);
    if (!address) return undefined;
    const who = await identities.resolve(address, {
      customerId: ownerId,
      conversationId: `owner-${ownerId}`,
    });
    return who.customerId === ownerId ? who.conversationId : undefined;
  }

  /** The sentence's placeholders in the owner's language. */
  function wording(locale: string, device: Device, notice: OwnerNotice): Record<string, string> {
    const { messages } = runtime;
    const label = (group: string, key: string | undefined) =>
      (key && messages.template(locale, `devices.${group}.${key}`)) ||
      messages.text(locale, `devices.${group}.default`);
    const at = typeof notice.fault.at === 'number' ? notice.fault.at : clock.now();
    return {
      device: label('model', device.model),
      fault: label('fault', text(notice.fault, 'code')),
      action: label('action', notice.action),
      time: hhmm(at),
    };
  }

  async function apply(conversationId: string, input: OutOfTurnInput): Promise<boolean> {
    try {
      await runtime.pipeline.apply(conversationId, input);
      return true;
    } catch (error) {
      if (error instanceof ConversationNotFoundError) return false;
      throw error;
    }
  }

  async function diagnostics(device: Device, fault: JsonObject, now: number): Promise<DeviceDiagnostics> {
    const history = await devices.journal.recent(device.id, { since: now - DAY_MS });
    const of = (...kinds: DeviceJournalEntry['kind'][]) =>
      history.filter((entry) => kinds.includes(entry.kind)).map((entry) => ({ at: entry.at, ...entry.data }));
    const telemetry = [...history]
      .reverse()
      .map((entry) => entry.data.telemetry)
      .find((value): value is JsonObject => !!value && typeof value === 'object' && !Array.isArray(value));
    const perMinute = history.filter(
      (entry) => entry.at >= now - MINUTE_MS && entry.kind !== 'command',
    ).length;
    return {
      id: device.id,
      model: device.model,
      fault,
      events: of('fault', 'telemetry'),
      commands: of('command'),
      results: of('result'),
      ...(telemetry ? { telemetry } : {}),
      eventsPerMinute: perMinute,
    };
  }

  return {
    async sendCommand(deviceId: string, command: DeviceCommand, now: number): Promise<CommandReceipt> {
      const device = await deviceOf(deviceId);
      const commandId = ids.next();
      const body: CommandBody = {
        type: 'command',
        commandId,
        action: command.action,
        params: command.params,
      };
      const envelope = seal(
        { deviceId, timestamp: now, nonce: commandId, event: { ...body } },
        device.secret,
      );
      await deps.deliver(deviceId, envelope);
      const deadline = now + deps.commandTimeoutMs;
      await devices.journal.append(deviceId, {
        at: now,
        kind: 'command',
        data: { commandId, action: command.action, params: command.params, deadline },
      });
      deps.awaiting(deviceId, deadline);
      return { commandId, action: command.action, deadline };
    },

    async notifyOwner(deviceId: string, notice: OwnerNotice, now: number): Promise<NoticeOutcome> {
      const device = await deviceOf(deviceId);
      if ((await keyValue.get(optOutKey(device.ownerId))) === true) return 'opted_out';
      const conversationId = await ownerConversation(device.ownerId);
      if (!conversationId) return 'unreachable';
      const reply = (locale: string): Reply => ({
        from: 'bot',
        text: runtime.messages.text(
          locale,
          `devices.notice.${notice.notice}`,
          wording(locale, device, notice),
        ),
        buttons: [
          { title: runtime.messages.text(locale, 'devices.stopNotices'), payload: STOP_NOTICES_PAYLOAD },
        ],
      });
      const lines = [
        { speaker: 'system' as const, event: 'device.notice', data: { deviceId, notice: notice.notice } },
      ];
      const sent = await apply(conversationId, { type: 'deliver', reply, lines });
      if (sent)
        await devices.journal.append(deviceId, { at: now, kind: 'notice', data: { notice: notice.notice } });
      return sent ? 'sent' : 'unreachable';
    },

    async escalate(deviceId: string, detail: string, now: number): Promise<{ reached: boolean }> {
      const device = await deviceOf(deviceId);
      const conversationId = await ownerConversation(device.ownerId);
      if (!conversationId) return { reached: false };
      const faults = await devices.journal.recent(deviceId, { since: now - DAY_MS });
      const fault = [...faults].reverse().find((entry) => entry.kind === 'fault');
      const faultData = fault ? { at: fault.at, ...fault.data } : {};
      const notice: OwnerNotice = { notice: 'escalated', fault: faultData };
      const reached = await apply(conversationId, {
        type: 'escalate',
        request: {
          reason: 'flow_decision',
          detail,
          queue: 'devices',
          device: await diagnostics(device, faultData, now),
        },
        reply: (locale) => ({
          from: 'bot',
          text: runtime.messages.text(locale, 'devices.notice.escalated', wording(locale, device, notice)),
        }),
        lines: [{ speaker: 'system', event: 'device.escalated', data: { deviceId, detail } }],
      });
      if (reached) await devices.journal.append(deviceId, { at: now, kind: 'escalation', data: { detail } });
      return { reached };
    },

    async faultsOf(customerId: string, since: number): Promise<OwnedDeviceFaults[]> {
      const owned = await devices.registry.list({ ownerId: customerId });
      return Promise.all(
        owned.map(async (device) => {
          const history = await devices.journal.recent(device.id, { since });
          const faults = history
            .filter((entry) => entry.kind === 'fault')
            .map((entry) => ({ code: text(entry.data, 'code') ?? 'unknown', at: entry.at }));
          const restarts = history.filter(
            (entry) => entry.kind === 'command' && entry.data.action === 'restart',
          ).length;
          return { deviceId: device.id, model: device.model, faults, restarts };
        }),
      );
    },

    async stopNotices(customerId: string): Promise<void> {
      await keyValue.set(optOutKey(customerId), true);
    },
  };
}
