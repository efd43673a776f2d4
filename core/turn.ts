import type { EscalationRequest } from './case';
import type { JsonObject } from './json';
import type { Message, Reply } from './message';
import type { NluResult } from './nlu';
import type { ConversationState, Logger } from './ports';
import type { TranscriptEntry } from './transcript';

/** A transcript line before the pipeline stamps it with the time and the customer's current channel. */
export type Line = Omit<TranscriptEntry, 'at' | 'channel'>;

/**
 * Input that enters a conversation from outside the customer's own messages. It runs through the same
 * stages as a customer's message, in the conversation's turn order, so stage hooks see it too.
 */
/**
 * A reply for the customer, or a way to word it in the conversation's language (known only once the
 * conversation is loaded inside its turn queue).
 */
export type WordedReply = Reply | ((locale: string) => Reply);

export type OutOfTurnInput =
  /** A reply to the customer (an agent's message, a system notice), after `lines`. */
  | { type: 'deliver'; reply: WordedReply; lines?: Line[] }
  /** Lines only (an internal note, a status change): the customer is told nothing. */
  | { type: 'note'; lines: Line[] }
  /** The case is over and the bot takes the conversation back: the dialog steps with `handback`. */
  | { type: 'handback'; caseId: string; agentName?: string; lines?: Line[] }
  /** The case is over without the bot speaking: `reply` says goodbye. */
  | { type: 'release'; caseId: string; reply: WordedReply; lines?: Line[] }
  /**
   * Something outside the conversation needs a person (a device fault the bot could not fix): `reply` tells
   * the customer, then a case opens for `request` (unless one is open already: it gets the lines).
   */
  | { type: 'escalate'; request: EscalationRequest; reply: WordedReply; lines?: Line[] };

/** What a turn carries: the customer's `message`, or input from outside it. */
export type TurnInput = { type: 'message' } | OutOfTurnInput;

/** Everything one turn knows, passed through the stages. */
export interface TurnContext {
  /** What started the turn. Hooks that only care about customers' messages check `input.type`. */
  input: TurnInput;
  /**
   * The message after `receive`: redacted, without the channel's raw payload, and with `conversationId`
   * the customer's conversation (resolved before the lock). For out-of-turn input it is an `event`
   * message (`event` is the input's type, no text) on the customer's current channel and address.
   */
  message: Message;
  /**
   * The connector's own conversation id for the customer's latest message: where their live session
   * listens. Differs from `message.conversationId` only when the customer writes from a linked address.
   */
  session: string;
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
