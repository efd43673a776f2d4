import { createHmac, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import type { JsonObject, JsonValue } from '../../core/json';

/** Device ids appear in MQTT topics, URLs and keys: letters, digits, `.`, `_`, `-`. */
export const DEVICE_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

/** The first line of every signed string: a new format gets a new version. */
export const SIGNATURE_VERSION = 'parley-device-v1';

const telemetry = z.record(z.string(), z.json());
const code = z.string().regex(/^[a-z][a-z0-9_]{0,63}$/, 'a fault code is snake_case');

/** What a device reports. */
export const deviceEventSchema = z.discriminatedUnion('type', [
  z.strictObject({
    type: z.literal('fault'),
    code,
    severity: z.enum(['info', 'minor', 'major', 'critical']),
    telemetry: telemetry.optional(),
  }),
  z.strictObject({ type: z.literal('telemetry'), telemetry }),
  z.strictObject({
    type: z.literal('result'),
    commandId: z.string().min(1).max(128),
    ok: z.boolean(),
    detail: z.string().max(500).optional(),
    telemetry: telemetry.optional(),
  }),
]);
export type DeviceEvent = z.infer<typeof deviceEventSchema>;

/** A remote command Parley sends (signed the same way, so the device can check it came from Parley). */
export interface CommandBody {
  type: 'command';
  commandId: string;
  action: string;
  params: JsonObject;
}

/** The signed envelope every device message travels in, over MQTT or HTTP. */
export const envelopeSchema = z.strictObject({
  deviceId: z.string().regex(DEVICE_ID),
  /** Epoch milliseconds when the device signed it. */
  timestamp: z.number().int().nonnegative(),
  /** Unique per message (8–128 characters): a repeat is a replay. */
  nonce: z.string().regex(/^[A-Za-z0-9._-]{8,128}$/),
  event: z.record(z.string(), z.json()),
  /** Lower-case hex HMAC-SHA256 of `canonicalString(...)` with the device's key. */
  signature: z.string().regex(/^[0-9a-f]{64}$/),
});
export type Envelope = z.infer<typeof envelopeSchema>;

/**
 * JSON with object keys sorted (by UTF-16 code unit, as JavaScript sorts) at every depth and no
 * whitespace: one byte sequence per value, whatever order a device wrote its keys in.
 */
export function canonicalJson(value: JsonValue): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const keys = Object.keys(value).sort();
    return `{${keys.map((key) => `${JSON.stringify(key)}:${canonicalJson(value[key] ?? null)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** The exact string that is signed: five lines joined by `\n`, no trailing newline. */
export function canonicalString(parts: Omit<Envelope, 'signature'>): string {
  return [
    SIGNATURE_VERSION,
    parts.deviceId,
    String(parts.timestamp),
    parts.nonce,
    canonicalJson(parts.event),
  ].join('\n');
}

export function sign(parts: Omit<Envelope, 'signature'>, secret: string): string {
  return createHmac('sha256', secret).update(canonicalString(parts), 'utf8').digest('hex');
}

/** A signed envelope, ready to send. */
export function seal(parts: Omit<Envelope, 'signature'>, secret: string): Envelope {
  return { ...parts, signature: sign(parts, secret) };
}

/** Constant-time check of the envelope's signature against `secret`. */
export function signatureValid(envelope: Envelope, secret: string): boolean {
  const expected = Buffer.from(sign(envelope, secret), 'hex');
  const given = Buffer.from(envelope.signature, 'hex');
  return given.length === expected.length && timingSafeEqual(given, expected);
}
