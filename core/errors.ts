/** The named stages of one turn, in order. Every log line and error carries one. */
export const STAGES = ['receive', 'identify', 'route', 'understand', 'decide', 'respond', 'record'] as const;
export type StageName = (typeof STAGES)[number];

/**
 * An error raised while processing a turn, tagged with the stage it happened in and the conversation.
 * Caught in one place (the pipeline); the customer gets a neutral apology, the log gets this.
 */
export class TurnError extends Error {
  constructor(
    readonly stage: StageName,
    readonly conversationId: string,
    override readonly cause: unknown,
  ) {
    super(`turn failed in ${stage}: ${cause instanceof Error ? cause.message : String(cause)}`);
    this.name = 'TurnError';
  }
}

/** Input a connector must refuse (bad payload, failed signature): mapped to a 4xx at the edge. */
export class InvalidInputError extends Error {
  constructor(
    message: string,
    readonly detail?: string,
  ) {
    super(message);
    this.name = 'InvalidInputError';
  }
}

/** Out-of-turn input (an agent, a hand-back) addressed a conversation the stores no longer know. */
export class ConversationNotFoundError extends Error {
  constructor(readonly conversationId: string) {
    super(`conversation ${conversationId} not found`);
    this.name = 'ConversationNotFoundError';
  }
}
