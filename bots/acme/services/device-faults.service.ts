import type { JsonObject, JsonValue } from '../../../core/json';

export interface FaultRemedy {
  known: boolean;
  code: string;
  /** When the device reported it (epoch ms). */
  at: number;
  action?: string;
  params?: JsonObject;
}

/** The faults Acme's routers report that a remote command can fix, and the command that fixes them. */
const REMEDIES: Record<string, { action: string; params?: (telemetry: JsonObject) => JsonObject }> = {
  wan_down: { action: 'restart' },
  dsl_sync_lost: { action: 'restart' },
  port_stuck: {
    action: 'reset_port',
    params: (telemetry) => ({ port: typeof telemetry.port === 'number' ? telemetry.port : 1 }),
  },
};

function object(value: JsonValue | undefined): JsonObject {
  return value && typeof value === 'object' && !Array.isArray(value) ? value : {};
}

/** Acme's fault knowledge base: what to do about a fault event. */
export function remedyFor(event: JsonObject): FaultRemedy {
  const code = typeof event.code === 'string' ? event.code : 'unknown';
  const at = typeof event.at === 'number' ? event.at : 0;
  const remedy = REMEDIES[code];
  if (!remedy) return { known: false, code, at };
  return {
    known: true,
    code,
    at,
    action: remedy.action,
    params: remedy.params?.(object(event.telemetry)) ?? {},
  };
}

/** A router is healthy again when its telemetry says the WAN link is up. */
export function routerHealthy(event: JsonValue | undefined): boolean {
  return object(object(event).telemetry).wan === 'up';
}
