import type { EscalationRequest, HandoffSummary } from './case';
import type { JsonObject, JsonValue } from './json';
import type { ChannelName, Reply } from './message';
import type { NluResult } from './nlu';

/** What drives one dialog step. */
export type DialogInput =
  /** The customer said something; the NLU has understood it. */
  | { type: 'user'; text: string; nlu: NluResult }
  /** A conversation opens (web chat opened, a voice session launched) before the customer speaks. */
  | { type: 'launch' }
  /** An agent handed the conversation back to the bot after a case. */
  | { type: 'handback'; caseId: string; agentName?: string }
  /**
   * The customer came back (e.g. from a newly linked channel): the flow under way asks again for what it
   * still needs, and nothing is said when no flow is under way.
   */
  | { type: 'resume' }
  /**
   * Something happened outside the conversation (a device reported a fault, a command's result came back):
   * a flow waiting for `name` takes it, or a flow that starts on it begins; otherwise nothing happens.
   */
  | { type: 'event'; name: string; data: JsonObject };

export interface DialogTurnInfo {
  conversationId: string;
  customerId: string;
  channel: ChannelName;
  /** The customer's id on `channel` (a phone number, a web chat session), when the turn has one. */
  channelUserId?: string;
  locale: string;
  /** Epoch milliseconds: flows use it for dates, never the wall clock. */
  now: number;
}

/** A system event a step wants in the transcript (`flow.started`, `slot.filled`, `fallback`, ...). */
export interface DialogEvent {
  event: string;
  data?: JsonObject;
}

export interface DialogOutcome {
  /** The new persisted state (restored on the next turn). */
  state: JsonValue;
  replies: Reply[];
  events: DialogEvent[];
  /** Set when the step decided to hand the conversation to a person. */
  escalation?: EscalationRequest;
  /**
   * Values of `masked` slots this step used in clear, with their masked form: the state, replies and
   * events above already show only the masked form; the pipeline masks the customer's message with them.
   */
  masked?: Array<{ value: string; masked: string }>;
}

/**
 * Restores a conversation's dialog state, applies one input, runs the named effects, and returns the
 * state to persist. Implemented in `dialogs/`.
 */
export interface DialogEngine {
  step(state: JsonValue | undefined, input: DialogInput, turn: DialogTurnInfo): Promise<DialogOutcome>;
  /** What the handoff package says the bot knew and tried. */
  summarize(state: JsonValue | undefined): HandoffSummary;
}
