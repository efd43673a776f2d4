import { z } from 'zod';
import type { Message } from '../../core/message';

/** What a call session heard in one turn: words (with the recogniser's confidence) or keyed digits. */
export const heardSchema = z.discriminatedUnion('input', [
  z.object({
    input: z.literal('speech'),
    text: z.string().trim().min(1),
    confidence: z.number().min(0).max(1),
  }),
  z.object({ input: z.literal('dtmf'), digits: z.string().regex(/^[0-9A-D]{1,32}$/) }),
]);

/** One recognised turn of a call: the `voice` connector's payload (`toMessage`). */
export const callTurnSchema = z.object({
  callSid: z.string().min(1).max(64),
  from: z.string().min(1).max(256),
  sequence: z.number().int().positive(),
  locale: z.string().min(2).max(16),
  heard: heardSchema,
});
export type CallTurn = z.infer<typeof callTurnSchema>;

type TurnInput = Pick<Message, 'kind' | 'text' | 'speech' | 'metadata'>;

/** What the caller's words or keys are as a message's input. */
export function heardInput(heard: CallTurn['heard']): TurnInput {
  if (heard.input === 'dtmf') return { kind: 'text', text: heard.digits, metadata: { input: 'dtmf' } };
  return {
    kind: 'speech',
    text: heard.text,
    speech: { transcript: heard.text, confidence: heard.confidence },
  };
}

/** A call's turn as a message: one call is one conversation, the caller's number the customer address. */
export function callMessage(
  call: { callSid: string; from: string },
  sequence: number,
  input: TurnInput,
  locale: string,
  now: number,
): Message {
  return {
    ...input,
    channel: 'voice',
    channelUserId: call.from,
    conversationId: `voice:${call.callSid}`,
    messageId: `${call.callSid}:${sequence}`,
    locale,
    timestamp: now,
  };
}
