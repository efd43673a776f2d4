import type { ClaimStore, Clock, Device, DeviceRegistry } from '../../core/ports';
import {
  deviceEventSchema,
  envelopeSchema,
  signatureValid,
  type DeviceEvent,
  type Envelope,
} from './envelope';

/** Why an incoming device message was dropped (counted, never acted on). */
export const DROP_REASONS = ['malformed', 'unknown_device', 'bad_signature', 'stale', 'replayed'] as const;
export type DropReason = (typeof DROP_REASONS)[number];

export type GateResult =
  | { ok: true; device: Device; envelope: Envelope; event: DeviceEvent }
  | { ok: false; reason: DropReason; deviceId?: string };

export interface GateOptions {
  registry: DeviceRegistry;
  claims: ClaimStore;
  clock: Clock;
  /** How far a device's clock may be from Parley's, either way (default 5 minutes). */
  maxSkewMs?: number;
}

/**
 * Decides whether a device message is authentic before anything acts on it: well formed, from a registered
 * device (the one its topic or URL names), signed with that device's key, recent, and never seen before.
 * The nonce is claimed last, so a forged or stale message cannot use up a genuine device's nonce.
 */
export function createDeviceGate(
  options: GateOptions,
): (raw: unknown, expectedId: string) => Promise<GateResult> {
  const { registry, claims, clock, maxSkewMs = 5 * 60_000 } = options;
  return async (raw, expectedId) => {
    const parsed = envelopeSchema.safeParse(raw);
    if (!parsed.success || parsed.data.deviceId !== expectedId) return { ok: false, reason: 'malformed' };
    const envelope = parsed.data;
    const deviceId = envelope.deviceId;
    const event = deviceEventSchema.safeParse(envelope.event);
    if (!event.success) return { ok: false, reason: 'malformed', deviceId };
    const device = await registry.get(deviceId);
    if (!device) return { ok: false, reason: 'unknown_device', deviceId };
    if (!signatureValid(envelope, device.secret)) return { ok: false, reason: 'bad_signature', deviceId };
    if (Math.abs(clock.now() - envelope.timestamp) > maxSkewMs)
      return { ok: false, reason: 'stale', deviceId };
    // Remembered for both skew windows: anything older is refused as stale anyway.
    if (!(await claims.claim(`nonce:${deviceId}:${envelope.nonce}`, 2 * maxSkewMs)))
      return { ok: false, reason: 'replayed', deviceId };
    return { ok: true, device, envelope, event: event.data };
  };
}
