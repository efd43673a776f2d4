import { z } from 'zod';
import type { JsonValue } from '../core/json';
import type { Reply } from '../core/message';

/**
 * The one bus topic on which replies reach a customer's live session, whichever process holds its socket.
 * `session` is the connector's conversation id for the customer's address.
 */
export const pushTopic = (session: string): string => `push:${session}`;

const button = z.object({ title: z.string(), payload: z.string() });

/** A pushed reply as it crosses process boundaries: every field of `Reply`, validated on arrival. */
export const pushedReplySchema = z.object({
  text: z.string(),
  from: z.enum(['bot', 'agent', 'system']),
  agentName: z.string().optional(),
  speech: z.string().optional(),
  short: z.string().optional(),
  buttons: z.array(button).optional(),
  cards: z
    .array(
      z.object({
        title: z.string(),
        text: z.string().optional(),
        imageUrl: z.string().optional(),
        url: z.string().optional(),
        buttons: z.array(button).optional(),
      }),
    )
    .optional(),
  media: z
    .array(z.object({ url: z.string(), contentType: z.string(), altText: z.string().optional() }))
    .optional(),
  endSession: z.boolean().optional(),
  expectInput: z.boolean().optional(),
});

/** A reply as bus payload (plain JSON: undefined fields dropped). */
export function toPushed(reply: Reply): JsonValue {
  return JSON.parse(JSON.stringify(reply)) as JsonValue;
}

/** Payloads cross process boundaries: validate rather than trust. Undefined when malformed. */
export function parsePushed(payload: JsonValue): Reply | undefined {
  const parsed = pushedReplySchema.safeParse(payload);
  return parsed.success ? parsed.data : undefined;
}
