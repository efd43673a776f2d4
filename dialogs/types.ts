import type { DialogTurnInfo } from '../core/dialog';
import type { JsonObject, JsonValue } from '../core/json';
import type { KnowledgeBase } from '../core/knowledge';
import type { CustomerContext } from '../core/customer-context';
import type { Logger } from '../core/ports';
import type { ConsentLedger } from '../core/privacy';

/** What a look-up, effect or guard sees of the conversation. */
export interface FlowScope {
  /** Every slot known in the conversation, not only this flow's. */
  slots: JsonObject;
  /** Results of this flow's look-ups, by their `as` name. */
  results: JsonObject;
}

/** A back-end query; its result becomes the `done` event's data and `results[as]`. Throwing sends `error`. */
export type LookupImplementation = (
  scope: FlowScope & { turn: DialogTurnInfo },
) => Promise<JsonValue> | JsonValue;

/** A side effect with no result (send an e-mail, write a ticket). Throwing makes the step fail cleanly. */
export type EffectImplementation = (
  scope: FlowScope & { turn: DialogTurnInfo; params: JsonObject },
) => Promise<void> | void;

/** A pure, synchronous condition on the conversation and the event (`data`: a look-up result). */
export type GuardImplementation = (scope: FlowScope & { data?: JsonValue }) => boolean;

/** Accepts or refuses a candidate slot value (already normalised by the NLU). */
export type ValidatorImplementation = (
  value: JsonValue,
  context: { now: number; slots: JsonObject },
) => boolean;

/**
 * A bot's TypeScript side of its flows: the flow files name these, the bot supplies them, and tests can
 * swap them without touching a flow.
 */
export interface DialogImplementations {
  lookups?: Record<string, LookupImplementation>;
  effects?: Record<string, EffectImplementation>;
  guards?: Record<string, GuardImplementation>;
  validators?: Record<string, ValidatorImplementation>;
  /** What a verified customer is doing now: flows with `personalise:` open with a hypothesis from it. */
  customerContext?: CustomerContext;
  /**
   * The customer's consent answers (the runtime binds it to its consent ledger): flows with a `consent:`
   * state read and record them, personalisation reads `personalisation`. Without it nothing is on record:
   * the customer is asked each time, and nothing is personalised.
   */
  consentLedger?: Pick<ConsentLedger, 'history' | 'record'>;
}

/**
 * A step a flow took: entering its initial state (no `from`), an event's transition (`guard` when a
 * guarded one was chosen), or an eventless `always` one (event `always`). What coverage tools count.
 */
export interface FlowStepTaken {
  flow: string;
  from?: string;
  event: string;
  guard?: string;
  to: string;
}

/** Everything the engine itself says; bots override any of it. `{menu}` lists the menu titles. */
export interface EngineTexts {
  launch: string;
  help: string;
  fallback: string;
  offerHuman: string;
  declinedHuman: string;
  /** Said before a global handoff (a person asked for, or accepted after misunderstandings). */
  toHuman: string;
  restart: string;
  apology: string;
  handback: string;
  handbackAgent: string;
  satisfied: string;
  unsatisfied: string;
  yes: string;
  no: string;
  talkToPerson: string;
  /** Built-in `greet` when the bot has no flow for it. */
  greet: string;
  /** Built-in `thanks` when the bot has no flow for it. */
  thanks: string;
  /** Built-in `goodbye` when the bot has no flow for it; whatever was under way is dropped. */
  goodbye: string;
  /** `cancel` stopped a flow and an interrupted one resumes (its question follows). */
  cancelled: string;
  /** `cancel` stopped the only flow under way. */
  cancelledAll: string;
  /** `cancel` with nothing under way. */
  nothingToCancel: string;
  /** `repeat` before the bot has said anything. */
  nothingToRepeat: string;
  /** Two intents nearly tied: `{first}` and `{second}` are the flows' `clarifyAs` (or titles). */
  clarify: string;
  /** A slot with `confirmReuse: true`: `{value}` is the value from earlier in the conversation. */
  confirmReuse: string;
  /** The customer said no to a personalised hypothesis. */
  hypothesisDeclined: string;
  /** A flow's `consent:` state asks (yes/no buttons); `{purpose}` is `privacy.purpose.*` in the locale. */
  consentAsk: string;
  /** A no to `consentAsk` where the flow has no `refused:` of its own: the flow ends after this. */
  consentDeclined: string;
  /**
   * Not said: words (`|`-separated, case-insensitive) that open a question the bot may not know
   * ("what|when|…"); a message ending in `?` is a question too. Repair tells such a question from a bad value.
   */
  questionWords: string;
  /** Not said: words (`|`-separated) that mark a correction ("no|actually|make it|…"). */
  correctionWords: string;
}

export const DEFAULT_TEXTS: EngineTexts = {
  launch: 'Hi! I can help with {menu}. What can I do for you?',
  help: 'I can help with {menu}. Pick one below or just tell me what you need.',
  fallback: "Sorry, I didn't quite get that. I can help with {menu}.",
  offerHuman: "I'm having trouble understanding. Would you like to talk to a person?",
  declinedHuman: "OK, let's keep trying.",
  // The pipeline announces a handoff when it opens the case; set this to say more first.
  toHuman: '',
  restart: "OK, let's start over. What can I help you with?",
  apology: 'Sorry, something went wrong on our side. Please try again in a moment.',
  handback: "I'm back. Did we sort everything out for you?",
  handbackAgent: '{agent} has handed you back to me. Did we sort everything out for you?',
  satisfied: 'Great, glad we could help. Anything else?',
  unsatisfied: "I'm sorry it isn't sorted yet. Tell me what's still wrong, or ask for a person.",
  yes: 'Yes',
  no: 'No',
  talkToPerson: 'Talk to a person',
  greet: 'Hello! I can help with {menu}. What can I do for you?',
  thanks: "You're welcome! Is there anything else I can help with?",
  goodbye: 'Thanks for getting in touch. Goodbye!',
  cancelled: "OK, I've cancelled that.",
  cancelledAll: "OK, I've cancelled that. Is there anything else I can help with?",
  nothingToCancel: "There's nothing to cancel. I can help with {menu}.",
  nothingToRepeat: "I haven't said anything yet. I can help with {menu}.",
  clarify: 'Do you mean {first} or {second}?',
  confirmReuse: 'Shall I use {value} again?',
  hypothesisDeclined: 'No problem. I can help with {menu}. What can I do for you?',
  consentAsk: 'May we use your data for {purpose}? You can change your mind at any time.',
  consentDeclined:
    "No problem, we won't use your data for {purpose}. Is there anything else I can help with?",
  questionWords: 'what|whats|when|where|why|who|how|which|is|are|can|could|do|does|did|will|would|should|may',
  correctionWords: 'no|not|actually|make it|change it|instead|i meant|rather|sorry|wrong|correction',
};

/** Engine behaviour, with the defaults every bot gets. */
export interface DialogEngineOptions {
  /** The bot's intents: flows naming any other intent fail validation. Unchecked when omitted. */
  intents?: readonly string[];
  /** Below this NLU confidence the message counts as not understood. */
  confidenceThreshold?: number;
  /** Misunderstandings in a row before a person is offered. */
  maxMisunderstandings?: number;
  /** Interrupted flows kept below the current one; the oldest is dropped beyond it. */
  maxStackDepth?: number;
  /** Whole messages (case-insensitive) that clear the stack and start over. */
  restartPhrases?: readonly string[];
  /**
   * Two flows' intents closer than this in calibrated confidence get a question ("Do you mean …?")
   * instead of a guess; 0 switches clarification off. Each flow can opt out (`repair.clarify: false`).
   */
  clarifyMargin?: number;
  /** The second intent must reach this confidence for a clarification. */
  clarifyFloor?: number;
  /** Flow ids offered (in this order) by help, launch and fallback; by default every flow with a title. */
  menu?: readonly string[];
  texts?: Partial<EngineTexts>;
  /**
   * The bot's help-centre articles (`knowledge/`): asked when no flow, intent or skill takes a message,
   * before the fallback. The runtime loads a bot's `knowledge/` folder into this.
   */
  knowledge?: KnowledgeBase;
  logger?: Logger;
  /** Told of every step a flow takes (`parley test --coverage`); off, and free, when unset. */
  observe?: (step: FlowStepTaken) => void;
}

export const DEFAULT_OPTIONS = {
  confidenceThreshold: 0.45,
  clarifyMargin: 0.2,
  clarifyFloor: 0.25,
  maxMisunderstandings: 2,
  maxStackDepth: 5,
  restartPhrases: [
    'start over',
    'restart',
    'cancel',
    'cancel that',
    'never mind',
    'nevermind',
    'forget it',
    'stop',
  ],
} as const;
