import type { Message, Reply, Speaker } from './message';
import type { NluResult, ParseOptions } from './nlu';

/**
 * What connectors talk to: one call per customer message, plus a live feed for replies that arrive
 * outside a request (an agent typing to the customer, a hand-back).
 */
export interface ConversationRuntime {
  /** Processes one message through the turn pipeline and returns the replies for this turn. */
  handle(message: Message): Promise<Reply[]>;
  /**
   * Calls `handler` for every reply pushed to this session from elsewhere (possibly another server
   * process): `conversationId` is the id the connector puts on its messages. Resolves once listening;
   * the returned function stops it.
   */
  onPush(conversationId: string, handler: (reply: Reply) => void): Promise<() => Promise<void>>;
  /** Sends a reply to a live session (the id `onPush` listens on), on whichever process holds it. */
  push(conversationId: string, reply: Reply): Promise<void>;
  /**
   * The most recent lines the customer said or was told, oldest first, from the transcript (never internal
   * notes or system events): what a reopened chat window shows, including agent replies sent while it was
   * closed.
   */
  history(conversationId: string, limit?: number): Promise<SeenLine[]>;
  /** The NLU alone, for debugging endpoints. */
  parse(text: string, options?: ParseOptions): Promise<NluResult>;
  /**
   * Typing indicators between a customer's live session and the agent desk, on any process. Absent in
   * runtimes without a desk (connectors then simply show none).
   */
  typing?: TypingRelay;
}

/** Someone started or stopped typing in a conversation: the customer, or the agent who owns its case. */
export interface TypingEvent {
  who: 'customer' | 'agent';
  active: boolean;
  /** The agent's display name. */
  name?: string;
  /** Which desk socket sent it, so that socket does not hear its own typing back. */
  connection?: string;
}

/** Typing indicators per session (the connector's conversation id, what `onPush` listens on). */
export interface TypingRelay {
  publish(session: string, event: TypingEvent): Promise<void>;
  /** Resolves once listening; the returned function stops it. */
  listen(session: string, handler: (event: TypingEvent) => void): Promise<() => Promise<void>>;
}

/** One line of a conversation as the customer saw it. */
export interface SeenLine {
  speaker: Speaker;
  text: string;
  /** Display name, when an agent said it. */
  agentName?: string;
}
