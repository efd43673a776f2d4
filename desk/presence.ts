import { z } from 'zod';
import type { Clock, Logger, MessageBus } from '../core/ports';

/** Bus topic on which every desk socket announces its agent is online (periodically) or gone. */
export const PRESENCE_TOPIC = 'desk:presence';

const announcement = z.object({ username: z.string(), connection: z.string(), online: z.boolean() });

/**
 * Which agents have a desk open, on any process: each socket announces itself on connect and every
 * heartbeat, and leaves on close; a socket not heard of for `staleAfterMs` (a crashed process) is dropped.
 */
export interface Presence {
  announce(username: string, connection: string, online: boolean): Promise<void>;
  online(): Set<string>;
  close(): Promise<void>;
}

export async function createPresence(options: {
  bus: MessageBus;
  clock: Clock;
  logger: Logger;
  staleAfterMs: number;
  /** Called when someone comes online or leaves (for the supervisor's live view). */
  onChange?: () => void;
}): Promise<Presence> {
  const seen = new Map<string, Map<string, number>>();
  const stop = await options.bus
    .subscribe(PRESENCE_TOPIC, (payload) => {
      const event = announcement.safeParse(payload);
      if (!event.success) return;
      const { username, connection, online } = event.data;
      const sockets = seen.get(username) ?? new Map<string, number>();
      const before = sockets.size;
      if (online) sockets.set(connection, options.clock.now());
      else sockets.delete(connection);
      if (sockets.size > 0) seen.set(username, sockets);
      else seen.delete(username);
      if ((before === 0) !== (sockets.size === 0)) options.onChange?.();
    })
    .catch((error: unknown) => {
      options.logger.warn({ err: error }, 'desk presence cannot listen; agents will show offline');
      return async () => undefined;
    });
  return {
    async announce(username, connection, online) {
      await options.bus.publish(PRESENCE_TOPIC, { username, connection, online });
    },
    online() {
      const cutoff = options.clock.now() - options.staleAfterMs;
      const names = new Set<string>();
      for (const [username, sockets] of seen) {
        if ([...sockets.values()].some((at) => at >= cutoff)) names.add(username);
      }
      return names;
    },
    close: () => stop(),
  };
}
