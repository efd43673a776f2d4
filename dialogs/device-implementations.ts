import type { DeviceActions } from '../core/devices';
import type { JsonObject, JsonValue } from '../core/json';
import type { DialogImplementations, FlowScope } from './types';

const DAY_MS = 24 * 60 * 60 * 1000;

function object(value: JsonValue | undefined): JsonObject {
  return value && typeof value === 'object' && !Array.isArray(value) ? value : {};
}

function string(value: JsonValue | undefined): string {
  return typeof value === 'string' ? value : '';
}

/** The device a device conversation's flow is about: the id on the event that started or woke it. */
function deviceIdOf(scope: FlowScope): string {
  const id = string(object(scope.results.event).deviceId);
  if (!id) throw new Error('no device event in this flow');
  return id;
}

/**
 * The look-ups, effects and guards device flows name, over a `DeviceActions` port. In a device's
 * conversation, `results.event` is the device event that started the flow, `results.latest` the one that
 * woke it last, and `results.remedy` the planned fix
 * (`{ code, at, action, params }`, the bot's own `faultRemedy` look-up); `results.command` is the receipt
 * of the command sent.
 */
export function deviceImplementations(devices: DeviceActions): DialogImplementations {
  return {
    lookups: {
      sendDeviceCommand: async (scope) => {
        const remedy = object(scope.results.remedy);
        const receipt = await devices.sendCommand(
          deviceIdOf(scope),
          { action: string(remedy.action), params: object(remedy.params) },
          scope.turn.now,
        );
        return { ...receipt };
      },
      escalateDeviceFault: async (scope) => {
        const remedy = object(scope.results.remedy);
        const command = object(scope.results.command);
        const code = string(remedy.code) || 'unknown';
        const detail = command.action
          ? `device fault ${code}: remote ${string(command.action)} did not fix it`
          : `device fault ${code}: no remote fix known`;
        return { ...(await devices.escalate(deviceIdOf(scope), detail, scope.turn.now)) };
      },
      /** The customer's own devices' faults today: a summary of the busiest one (never anyone else's). */
      ownerDeviceFaults: async ({ turn }): Promise<JsonObject> => {
        const owned = await devices.faultsOf(turn.customerId, turn.now - DAY_MS);
        const busiest = [...owned].sort((a, b) => b.faults.length - a.faults.length)[0];
        if (!busiest || busiest.faults.length === 0) return { any: false };
        const last = busiest.faults.at(-1);
        return {
          any: true,
          deviceId: busiest.deviceId,
          model: busiest.model,
          faults: busiest.faults.length,
          restarts: busiest.restarts,
          lastFault: last?.code ?? null,
        };
      },
    },
    effects: {
      /** `params.notice`: `fixed` (the catalogue's `devices.notice.fixed`). */
      notifyOwner: async (scope) => {
        const remedy = object(scope.results.remedy);
        await devices.notifyOwner(
          deviceIdOf(scope),
          {
            notice: string(scope.params.notice) || 'fixed',
            fault: {
              code: string(remedy.code),
              at: typeof remedy.at === 'number' ? remedy.at : scope.turn.now,
            },
            ...(remedy.action ? { action: string(remedy.action) } : {}),
          },
          scope.turn.now,
        );
      },
      stopDeviceNotices: ({ turn }) => devices.stopNotices(turn.customerId),
    },
    guards: {
      deadlinePassed: ({ results, data }) => {
        const deadline = object(results.command).deadline;
        const at = object(data).receivedAt;
        return typeof deadline === 'number' && typeof at === 'number' && at >= deadline;
      },
      commandSucceeded: ({ results, data }) => answers(results, data) && object(data).ok === true,
      commandFailed: ({ results, data }) => answers(results, data) && object(data).ok === false,
      hasDeviceFaults: ({ data }) => object(data).any === true,
      ownerReached: ({ data }) => object(data).reached === true,
    },
  };
}

/** The event is the result of the command this flow sent. */
function answers(results: JsonObject, data: JsonValue | undefined): boolean {
  const event = object(data);
  return event.type === 'result' && string(event.commandId) === string(object(results.command).commandId);
}
