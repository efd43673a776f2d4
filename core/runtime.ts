import type { Message, Reply } from './message';
import type { NluResult, ParseOptions } from './nlu';

/**
 * What connectors talk to: one call per customer message, plus a live feed for replies that arrive
 * outside a request (an agent typing to the customer, a hand-back).
 */
export interface ConversationRuntime {
  /** Processes one message through the turn pipeline and returns the replies for this turn. */
  handle(message: Message): Promise<Reply[]>;
  /**
   * Calls `handler` for every reply pushed to this conversation from elsewhere (possibly another server
   * process). Resolves once listening; the returned function stops it.
   */
  onPush(conversationId: string, handler: (reply: Reply) => void): Promise<() => Promise<void>>;
  /** The NLU alone, for debugging endpoints. */
  parse(text: string, options?: ParseOptions): Promise<NluResult>;
}
