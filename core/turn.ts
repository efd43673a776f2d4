import type { EscalationRequest } from './case';
import type { JsonObject } from './json';
import type { Message, Reply } from './message';
import type { NluResult } from './nlu';
import type { ConversationState, Logger } from './ports';
import type { TranscriptEntry } from './transcript';

/** Everything one turn knows, passed through the stages. */
export interface TurnContext {
  /** The message after `receive`: redacted, without the channel's raw payload. */
  message: Message;
  log: Logger;
  /** Epoch milliseconds at which the turn started. */
  now: number;
  customerId: string;
  state: ConversationState;
  nlu?: NluResult;
  /** What the customer gets back from this turn, in order. */
  replies: Reply[];
  /** Transcript lines this turn adds, in order; appended in the `record` stage. */
  entries: TranscriptEntry[];
  /** True once the message went to a person (an open case) instead of the bot. */
  routedToCase: boolean;
  escalation?: EscalationRequest;
}

/** Adds a reply to the turn and its line to the transcript. */
export function say(ctx: TurnContext, reply: Reply): void {
  ctx.replies.push(reply);
  ctx.entries.push({
    at: ctx.now,
    speaker: reply.from,
    channel: ctx.message.channel,
    text: reply.text,
    ...(reply.agentName ? { agent: reply.agentName } : {}),
    ...(reply.buttons?.length ? { data: { buttons: reply.buttons.map((b) => b.title) } } : {}),
  });
}

/** Adds a system event to the transcript. */
export function note(ctx: TurnContext, event: string, data?: JsonObject): void {
  ctx.entries.push({
    at: ctx.now,
    speaker: 'system',
    channel: ctx.message.channel,
    event,
    ...(data ? { data } : {}),
  });
}
