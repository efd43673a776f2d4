import type { Pipeline } from '../core/pipeline';
import type { ProactiveSender } from '../core/ports';
import type { TranscriptEntry } from '../core/transcript';
import type { Line, WordedReply } from '../core/turn';

export { ConversationNotFoundError } from '../core/errors';
export { HANDBACK_FALLBACK } from '../core/out-of-turn';
export type { Line } from '../core/turn';

/** A channel's proactive sender (see `Outbox.register`); kept under its old name for callers. */
export type OutboundSender = ProactiveSender;

/** A reply, or a way to word it in the conversation's language (see `WordedReply`). */
export type OutOfTurnReply = WordedReply;

/** What agents and the agent desk do to a conversation from outside a customer turn. */
export interface Delivery {
  /** Records `lines` and sends `reply` to the customer's current channel; returns the lines written. */
  deliver(conversationId: string, reply: OutOfTurnReply, lines?: Line[]): Promise<TranscriptEntry[]>;
  /** Records lines (notes, status changes) in turn order without telling the customer anything. */
  record(conversationId: string, lines: Line[]): Promise<TranscriptEntry[]>;
  /**
   * Gives the conversation back to the bot: clears the open case, lets the dialog say it is back (and,
   * typically, ask whether the customer is satisfied), and delivers what it said.
   */
  handBack(
    conversationId: string,
    input: { caseId: string; agentName?: string; lines?: Line[] },
  ): Promise<TranscriptEntry[]>;
  /** Ends a case without the bot speaking: clears the open case and delivers `reply`. */
  release(
    conversationId: string,
    caseId: string,
    reply: OutOfTurnReply,
    lines?: Line[],
  ): Promise<TranscriptEntry[]>;
}

/**
 * Agents' and the desk's verbs as out-of-turn input to the turn pipeline: each runs the pipeline's stages
 * (so stage hooks see it) in the conversation's turn order, and its replies leave through the outbox.
 * Rejects with `ConversationNotFoundError` for a conversation the stores no longer know.
 */
export function createDelivery(pipeline: Pick<Pipeline, 'apply'>): Delivery {
  return {
    deliver: (conversationId, reply, lines = []) =>
      pipeline.apply(conversationId, { type: 'deliver', reply, lines }),
    record: (conversationId, lines) => pipeline.apply(conversationId, { type: 'note', lines }),
    handBack: (conversationId, { caseId, agentName, lines = [] }) =>
      pipeline.apply(conversationId, {
        type: 'handback',
        caseId,
        lines,
        ...(agentName !== undefined ? { agentName } : {}),
      }),
    release: (conversationId, caseId, reply, lines = []) =>
      pipeline.apply(conversationId, { type: 'release', caseId, reply, lines }),
  };
}
