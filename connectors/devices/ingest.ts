import type { JsonObject } from '../../core/json';
import type { Message } from '../../core/message';
import type { Clock, DeviceStores, Logger } from '../../core/ports';
import type { ConversationRuntime } from '../../core/runtime';
import { redactDeep } from '../../transcripts/redact';
import { createDeviceGate, DROP_REASONS, type DropReason } from './gate';

export type IngestOutcome =
  | { status: 'accepted' | 'deduplicated'; deviceId: string; eventsPerMinute: number }
  | { status: 'dropped'; reason: DropReason };

export interface DeviceStats {
  received: number;
  accepted: number;
  /** Repeats of a fault already being handled within its window: journalled as a rate, not acted on. */
  deduplicated: number;
  dropped: Record<DropReason, number>;
  /** Each device's events in the last minute, as last seen by this process. */
  eventsPerMinute: Record<string, number>;
}

export interface IngestDeps {
  devices: DeviceStores;
  runtime: Pick<ConversationRuntime, 'handle'>;
  clock: Clock;
  logger: Logger;
  /** One fault code per device is acted on once within this window (default 30 minutes). */
  floodWindowMs: number;
  maxSkewMs?: number;
}

export const DEVICE_CHANNEL = 'device';
const MINUTE_MS = 60_000;

/** The device's own conversation: every event it sends, and what the bot did about it. */
export const deviceConversationId = (deviceId: string) => `device-${deviceId}`;

/** An event message for the device's conversation; flows see `data` as the event's data. */
export function deviceMessage(
  deviceId: string,
  messageId: string,
  name: string,
  data: JsonObject,
  now: number,
): Message {
  return {
    channel: DEVICE_CHANNEL,
    channelUserId: deviceId,
    conversationId: deviceConversationId(deviceId),
    messageId,
    kind: 'event',
    event: name,
    toFlows: true,
    timestamp: now,
    metadata: { ...data, deviceId, receivedAt: now },
  };
}

/**
 * The path of every device message: the gate (authentic, fresh, first seen), then the event rate, the
 * journal (redacted), flood control for faults, and finally the turn pipeline. Dropped messages change
 * nothing but the counters. Messages of one device run one at a time, in arrival order.
 */
export function createIngest(deps: IngestDeps) {
  const { devices, clock, logger } = deps;
  const gate = createDeviceGate({
    registry: devices.registry,
    claims: devices.claims,
    clock,
    ...(deps.maxSkewMs ? { maxSkewMs: deps.maxSkewMs } : {}),
  });
  const stats: DeviceStats = {
    received: 0,
    accepted: 0,
    deduplicated: 0,
    dropped: Object.fromEntries(DROP_REASONS.map((reason) => [reason, 0])) as Record<DropReason, number>,
    eventsPerMinute: {},
  };
  const queues = new Map<string, Promise<unknown>>();

  async function admit(raw: unknown, expectedId: string): Promise<IngestOutcome> {
    stats.received += 1;
    const verdict = await gate(raw, expectedId);
    if (!verdict.ok) {
      stats.dropped[verdict.reason] += 1;
      logger.warn(
        { deviceId: verdict.deviceId ?? expectedId.slice(0, 64), reason: verdict.reason },
        'device message dropped',
      );
      return { status: 'dropped', reason: verdict.reason };
    }
    const { envelope, event } = verdict;
    const { deviceId } = envelope;
    const now = clock.now();
    const eventsPerMinute = await devices.journal.hit(deviceId, now, MINUTE_MS);
    stats.eventsPerMinute[deviceId] = eventsPerMinute;
    // Telemetry is customer data: redacted before it is stored or logged anywhere.
    const clean = redactDeep(event as JsonObject).value;
    if (
      event.type === 'fault' &&
      !(await devices.claims.claim(`fault:${deviceId}:${event.code}`, deps.floodWindowMs))
    ) {
      stats.deduplicated += 1;
      return { status: 'deduplicated', deviceId, eventsPerMinute };
    }
    await devices.journal.append(deviceId, { at: envelope.timestamp, kind: event.type, data: clean });
    const data = { ...clean, at: envelope.timestamp };
    await deps.runtime.handle(deviceMessage(deviceId, envelope.nonce, `device.${event.type}`, data, now));
    stats.accepted += 1;
    return { status: 'accepted', deviceId, eventsPerMinute };
  }

  return {
    stats: (): DeviceStats => structuredClone(stats),
    /** Verifies and processes one device message; `expectedId` is the id its topic or URL names. */
    ingest(raw: unknown, expectedId: string): Promise<IngestOutcome> {
      const previous = queues.get(expectedId) ?? Promise.resolve();
      const next = previous.then(() => admit(raw, expectedId));
      const settled = next.catch(() => undefined);
      queues.set(expectedId, settled);
      void settled.then(() => {
        if (queues.get(expectedId) === settled) queues.delete(expectedId);
      });
      return next;
    },
  };
}
