import { connectAsync, type MqttClient } from 'mqtt';
import { z } from 'zod';
import type { Connector, ConnectorContext, ConnectorMount } from '../../core/connector';
import { DevicesUnavailableError, type DeviceActions } from '../../core/devices';
import type { HttpRequest, HttpResponse } from '../../core/http';
import type { JsonObject } from '../../core/json';
import { timeForId } from '../../core/identifiers';
import type { Clock, IdGenerator, Logger } from '../../core/ports';
import type { ConversationRuntime } from '../../core/runtime';
import { createDeviceActions, type DeviceRuntime } from './actions';
import { DEVICE_ID, type Envelope } from './envelope';
import { createIngest, DEVICE_CHANNEL, deviceMessage, type DeviceStats, type IngestOutcome } from './ingest';
import { DEVICE_WEBHOOK_PATH, deviceIdOf, deviceTopics } from './topics';
import { systemClock, uuidIds } from '../../core/defaults';
import { silentLogger } from '../../stores/silent-logger';

export interface DeviceConnectorOptions {
  /** `mqtt://host:1883`: Parley subscribes to every device's events there. Without it, HTTP devices only. */
  mqttUrl?: string;
  /** MQTT 5 shared-subscription group: each event reaches one Parley process, not all of them. */
  group?: string;
  /** One fault code per device is acted on once within this window (default 30 minutes). */
  floodWindowMs?: number;
  /** How long a flow waits for a command's result and the telemetry after it (default 2 minutes). */
  commandTimeoutMs?: number;
  /** How often the sweeper looks for passed deadlines (default 5 s; 0 turns it off). */
  sweepMs?: number;
  /** How far a device's clock may be from Parley's (default 5 minutes). */
  maxSkewMs?: number;
}

/** A device connector: attach it to the runtime (`attach`) before the server mounts or starts it. */
export interface DeviceConnector extends Connector<{ ignored: number }> {
  /** What flows ask of devices; usable once attached. */
  readonly actions: DeviceActions;
  attach(
    runtime: DeviceRuntime & Pick<ConversationRuntime, 'handle'>,
    context?: { clock?: Clock; ids?: IdGenerator; logger?: Logger },
  ): this;
  /** Verifies and processes one device message (what MQTT and HTTP deliveries call). */
  ingest(raw: unknown, deviceId: string): Promise<IngestOutcome>;
  /** Prods flows whose command deadline has passed (the sweeper's tick; also called by tests). */
  sweep(): Promise<number>;
  stats(): DeviceStats;
}

const verifiedSchema = z.object({
  deviceId: z.string().regex(DEVICE_ID),
  messageId: z.string().min(1),
  name: z.string().regex(/^device\.[a-z]+$/),
  data: z.record(z.string(), z.json()),
  receivedAt: z.number(),
});

/** Commands waiting for an HTTP device's next message (it has no subscription to receive them on). */
const PENDING_LIMIT = 10;
const pendingKey = (deviceId: string) => `devices:pending-commands:${deviceId}`;

/**
 * Connected devices as callers: signed events arrive over MQTT (`parley/devices/+/events` and `/results`)
 * or `POST /webhooks/devices/<id>/events`, enter the device's own conversation as `event` messages, and
 * flows answer with remote commands (`parley/devices/<id>/commands`, or in the HTTP answer).
 *
 * @example
 * const devices = createDeviceConnector({ mqttUrl: 'mqtt://127.0.0.1:1883' });
 * const implementations = bot.createImplementations({ devices: devices.actions });
 * // ... build the runtime with them, then:
 * connectors.register(devices.attach(runtime));
 */
export function createDeviceConnector(options: DeviceConnectorOptions = {}): DeviceConnector {
  const { floodWindowMs = 30 * 60_000, commandTimeoutMs = 2 * 60_000, sweepMs = 5000 } = options;
  let bound:
    | {
        actions: DeviceActions;
        ingest: ReturnType<typeof createIngest>;
        runtime: DeviceRuntime & Pick<ConversationRuntime, 'handle'>;
        clock: Clock;
        logger: Logger;
      }
    | undefined;
  let client: MqttClient | undefined;
  let sweeper: NodeJS.Timeout | undefined;
  const deadlines = new Map<string, number>();

  const need = () => {
    if (!bound) throw new DevicesUnavailableError();
    return bound;
  };

  async function deliver(deviceId: string, command: Envelope): Promise<void> {
    const { keyValue } = need().runtime.stores;
    const pending = await keyValue.get(pendingKey(deviceId));
    const queue = Array.isArray(pending) ? pending : [];
    await keyValue.set(
      pendingKey(deviceId),
      [...queue, command as unknown as JsonObject].slice(-PENDING_LIMIT),
    );
    if (client?.connected)
      await client.publishAsync(deviceTopics.commands(deviceId), JSON.stringify(command), { qos: 1 });
  }

  async function takePending(deviceId: string): Promise<JsonObject[]> {
    const { keyValue } = need().runtime.stores;
    const pending = await keyValue.get(pendingKey(deviceId));
    if (!Array.isArray(pending) || pending.length === 0) return [];
    await keyValue.delete(pendingKey(deviceId));
    return pending.filter(
      (item): item is JsonObject => !!item && typeof item === 'object' && !Array.isArray(item),
    );
  }

  async function webhook(request: HttpRequest): Promise<HttpResponse> {
    const deviceId = request.params.deviceId ?? '';
    const outcome = await connector.ingest(request.body, deviceId);
    if (outcome.status === 'dropped') {
      // The same answer for every refusal: a prober learns nothing about which check failed.
      return outcome.reason === 'malformed'
        ? { status: 400, json: { error: 'malformed device message' } }
        : { status: 401, json: { error: 'rejected' } };
    }
    return { status: 202, json: { status: outcome.status, commands: await takePending(deviceId) } };
  }

  const actions: DeviceActions = {
    sendCommand: (...args) => need().actions.sendCommand(...args),
    notifyOwner: (...args) => need().actions.notifyOwner(...args),
    escalate: (...args) => need().actions.escalate(...args),
    faultsOf: (...args) => need().actions.faultsOf(...args),
    stopNotices: (...args) => need().actions.stopNotices(...args),
  };

  const connector: DeviceConnector = {
    name: DEVICE_CHANNEL,
    capabilities: {
      text: false,
      buttons: false,
      cards: false,
      speech: false,
      audio: false,
      media: false,
      push: false,
      typing: false,
      endSession: false,
    },
    actions,
    attach(runtime, context = {}) {
      const clock = context.clock ?? systemClock;
      const logger = (context.logger ?? silentLogger).child({ channel: DEVICE_CHANNEL });
      const ids = context.ids ?? uuidIds;
      bound = {
        runtime,
        clock,
        logger,
        actions: createDeviceActions({
          runtime,
          clock,
          ids,
          logger,
          deliver,
          commandTimeoutMs,
          awaiting: (deviceId, deadline) => deadlines.set(deviceId, deadline),
        }),
        ingest: createIngest({
          devices: runtime.stores.devices,
          runtime,
          clock,
          logger,
          floodWindowMs,
          ...(options.maxSkewMs ? { maxSkewMs: options.maxSkewMs } : {}),
        }),
      };
      return connector;
    },
    ingest: (raw, deviceId) => need().ingest.ingest(raw, deviceId),
    stats: () => need().ingest.stats(),
    async sweep() {
      const { clock, runtime } = need();
      const now = clock.now();
      let prodded = 0;
      for (const [deviceId, deadline] of deadlines) {
        if (deadline > now) continue;
        deadlines.delete(deviceId);
        // The deadline itself is in the flow's context: this only gives the flow a moment to look at it.
        try {
          await runtime.handle(
            deviceMessage(deviceId, tickMessageId(deadline), 'device.tick', { at: now }, now),
          );
        } catch (error) {
          // A turn that failed (a store down, a lock not granted in time) is tried again on the next sweep.
          if (!deadlines.has(deviceId)) deadlines.set(deviceId, deadline);
          throw error;
        }
        prodded += 1;
      }
      return prodded;
    },
    mount(): ConnectorMount {
      return { routes: [{ method: 'POST', path: DEVICE_WEBHOOK_PATH, body: 'json', handle: webhook }] };
    },
    async start(context: ConnectorContext) {
      if (!bound) throw new DevicesUnavailableError();
      const { logger } = need();
      if (sweepMs > 0) {
        sweeper = setInterval(() => {
          connector.sweep().catch((error: unknown) => logger.error({ err: error }, 'device sweep failed'));
        }, sweepMs);
        sweeper.unref();
      }
      if (!options.mqttUrl) return;
      client = await connectAsync(options.mqttUrl, {
        clientId: `parley-${context.ids.next()}`,
        protocolVersion: 5,
        reconnectPeriod: 1000,
      });
      const group = options.group ?? 'parley';
      client.on('message', (topic, payload) => {
        const deviceId = deviceIdOf(topic);
        if (!deviceId) return;
        let raw: unknown;
        try {
          raw = JSON.parse(payload.toString('utf8'));
        } catch {
          raw = undefined;
        }
        connector
          .ingest(raw, deviceId)
          .catch((error: unknown) => logger.error({ err: error, deviceId }, 'device event failed'));
      });
      await client.subscribeAsync(
        deviceTopics.inbound.map((topic) => `$share/${group}/${topic}`),
        { qos: 1 },
      );
      logger.info({ mqtt: options.mqttUrl }, 'devices: listening on MQTT');
    },
    async stop() {
      if (sweeper) clearInterval(sweeper);
      sweeper = undefined;
      const open = client;
      client = undefined;
      await open?.endAsync();
    },
    toMessage(payload) {
      const parsed = verifiedSchema.safeParse(payload);
      if (!parsed.success) return { ok: false, detail: 'not a verified device event' };
      const { deviceId, messageId, name, data, receivedAt } = parsed.data;
      return { ok: true, message: deviceMessage(deviceId, messageId, name, data, receivedAt) };
    },
    // Devices get commands, not replies: whatever a flow says in a device's conversation goes nowhere.
    render: (replies) => ({ ignored: replies.length }),
  };
  return connector;
}

/** The sweeper's tick for one deadline: one id per deadline, so a retried tick is deduplicated. */
export function tickMessageId(deadline: number): string {
  return `tick-${timeForId(deadline)}`;
}
