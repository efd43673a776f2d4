import { z } from 'zod';
import type { JsonValue } from '../core/json';
import type { MessageBus } from '../core/ports';
import type { TypingEvent, TypingRelay } from '../core/runtime';

/** The bus topic of a session's typing indicators. */
export const typingTopic = (session: string): string => `typing:${session}`;

const typingEvent = z
  .object({
    who: z.enum(['customer', 'agent']),
    active: z.boolean(),
    name: z.string().max(64).optional(),
    connection: z.string().max(64).optional(),
  })
  .strict();

/** Typing indicators over the message bus, so the desk and the customer's socket may be on different processes. */
export function createTypingRelay(bus: MessageBus): TypingRelay {
  return {
    async publish(session, event) {
      await bus.publish(typingTopic(session), JSON.parse(JSON.stringify(event)) as JsonValue);
    },
    listen(session, handler) {
      return bus.subscribe(typingTopic(session), (payload) => {
        const event = typingEvent.safeParse(payload);
        if (event.success) handler(event.data as TypingEvent);
      });
    },
  };
}
