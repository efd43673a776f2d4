import type { EscalationReason } from './case';
import type { ChannelName } from './message';
import type { CustomerData } from './ports';

/**
 * Product analytics: one typed event per turn, case change and agent action. Events carry names, numbers
 * and ids only (intent names, never the customer's words): they are kept as long as any record, so nothing
 * in them may need redacting. The validating schema lives in `analytics/events.ts`.
 */
interface EventBase {
  /** Epoch milliseconds. */
  at: number;
  conversationId: string;
  /** The customer as the identity port resolves them: one id across linked channels. */
  customerId: string;
  channel: ChannelName;
}

interface CaseBase extends EventBase {
  caseId: string;
  queue: string;
}

/** A customer's message answered by the bot or passed to the agent who owns the case. */
export interface TurnCompleted extends EventBase {
  type: 'turn.completed';
  /** Absent when the message went to an agent (nothing was understood) or carried no text. */
  intent?: string;
  confidence?: number;
  locale: string;
  /** The dialog did not understand (a `fallback`), including out-of-scope messages. */
  fallback: boolean;
  outOfScope: boolean;
  /** This turn opened a case. */
  escalated: boolean;
  /** The message went to an agent (an open case), not to the bot. */
  toAgent: boolean;
  /** From the turn's start to the end of its `record` stage. */
  durationMs: number;
}

export interface CaseOpened extends CaseBase {
  type: 'case.opened';
  reason: EscalationReason;
}

export interface CaseClaimed extends CaseBase {
  type: 'case.claimed';
  agent: string;
  /** Time in the queue: from the case's creation to this claim. */
  waitMs: number;
}

export interface AgentReplied extends CaseBase {
  type: 'agent.replied';
  agent: string;
}

/**
 * An agent or supervisor moved an open case: back to a queue (`to.kind: 'queue'`), or from one agent to
 * another. `queue` is where the case was before the move.
 */
export interface CaseTransferred extends CaseBase {
  type: 'case.transferred';
  /** Who moved it. */
  agent: string;
  to: { kind: 'queue' | 'agent'; id: string };
}

export interface CaseEnded extends CaseBase {
  /** `resolved`: handed back to the bot; `closed`: ended with a goodbye. */
  type: 'case.resolved' | 'case.closed';
  agent: string;
}

/** The customer's answer to "did we sort everything out?" after a hand-back. */
export interface SatisfactionAnswered extends EventBase {
  type: 'satisfaction';
  caseId?: string;
  /** 1 satisfied, 0 not; a scale in [0, 1] so finer ratings fit later. */
  score: number;
}

/**
 * The customer gave (or was asked for) a value the conversation already had: a slot filled again with the
 * value it held, or, while an agent owns the case, a message repeating a value from the handoff package.
 */
export interface InformationRepeated extends EventBase {
  type: 'info.repeated';
  slot: string;
  afterHandoff: boolean;
}

export type AnalyticsEvent =
  | TurnCompleted
  | CaseOpened
  | CaseClaimed
  | AgentReplied
  | CaseTransferred
  | CaseEnded
  | SatisfactionAnswered
  | InformationRepeated;

export type AnalyticsEventType = AnalyticsEvent['type'];

/**
 * The text of a message the bot could not answer (out of scope, or a fallback), for the "unanswered
 * questions" report. Already redacted at receive; kept apart from the events and for a shorter time.
 */
export interface UnansweredQuestion {
  at: number;
  conversationId: string;
  channel: ChannelName;
  locale: string;
  kind: 'out_of_scope' | 'fallback';
  /** The intent the NLU chose (`out_of_scope`, or the one the dialog could not use). */
  intent: string;
  text: string;
}

/** Half-open: `from <= at < to`, epoch milliseconds. */
export interface TimeRange {
  from: number;
  to: number;
}

/** What the analytics store holds about one customer: their events, and their unanswered questions. */
export type CustomerAnalytics = AnalyticsEvent | { unansweredQuestion: UnansweredQuestion };

/**
 * Where analytics go: an append-only log of events, and the separate, shorter-lived log of unanswered
 * questions. Reads hide what retention expired. Memory by default; PostgreSQL when configured. Its part
 * in subject access and erasure (`CustomerData`) reaches events with the customer's id or one of their
 * conversations, and the questions asked in those conversations.
 */
export interface AnalyticsStore extends CustomerData<CustomerAnalytics> {
  record(events: readonly AnalyticsEvent[]): Promise<void>;
  /** Events with `at` in `range`, oldest first. */
  read(range: TimeRange): Promise<AnalyticsEvent[]>;
  recordQuestion(question: UnansweredQuestion): Promise<void>;
  /** Questions with `at` in `range`, oldest first. */
  readQuestions(range: TimeRange): Promise<UnansweredQuestion[]>;
  close(): Promise<void>;
}
