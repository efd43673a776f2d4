/**
 * The view models the desk API and socket send: everything already labelled and categorised on the server,
 * so the browser only renders. Shapes are documented in docs/desk-api.md.
 */
import type { AgentRole, CaseStatus, EscalationReason } from '../core/case';
import type { ChannelName, Speaker } from '../core/message';

/** A code with the sentence agents read for it (`customer_request` → "Customer asked for a person"). */
export interface Labelled<C extends string = string> {
  code: C;
  label: string;
}

export const SENTIMENT_CATEGORIES = ['negative', 'neutral', 'positive'] as const;
export type SentimentCategory = (typeof SENTIMENT_CATEGORIES)[number];
export const PRIORITY_CATEGORIES = ['high', 'normal', 'low'] as const;
export type PriorityCategory = (typeof PRIORITY_CATEGORIES)[number];

/** Why a desk session ended, on a 401 body, a `signed_out` frame and the socket's close reason. */
export const SIGNED_OUT_REASONS = [
  'missing',
  'malformed',
  'expired',
  'revoked',
  'secret_changed',
  'credentials_changed',
  'agent_removed',
] as const;
export type SignedOutReason = (typeof SIGNED_OUT_REASONS)[number];

/** How the desk shows a case in a list and at the top of the conversation. */
export interface CaseView {
  id: string;
  conversationId: string;
  customerId: string;
  status: CaseStatus;
  /** "Dana Smith · Where is my order?" or "webchat vch4o3… · Where is my order?" */
  title: string;
  customer: {
    /** From the conversation's slots (`name`, `customerName`, `firstName`…), when the bot learnt it. */
    name?: string;
    /** The address the customer first wrote from, shortened: "webchat vch4o3…". */
    address: string;
    /** `name` or else `address`. */
    display: string;
  };
  /** The customer's first message of the conversation (trimmed to 140 characters). */
  firstRequest?: string;
  channels: ChannelName[];
  queue: Labelled;
  owner?: { username: string; name: string };
  reason: Labelled<EscalationReason>;
  detail?: string;
  intent?: Labelled;
  language?: string;
  sentiment?: Labelled<SentimentCategory> & { score: number };
  priority: Labelled<PriorityCategory> & { value: number };
  createdAt: number;
  updatedAt: number;
  /** Time waited for an agent: until now while queued, else until claimed (or the last update). */
  waitMs: number;
  /** The queue's SLA for a first claim, and whether this case broke it. */
  sla?: { targetMs: number; breached: boolean };
  /** The customer's messages this agent has not marked read (`POST /api/cases/:id/read`). */
  unread?: number;
}

export const LINE_KINDS = ['message', 'note', 'event'] as const;
export type LineKind = (typeof LINE_KINDS)[number];
/** What an event line is about, for the "show events" filter. */
export const EVENT_TOPICS = [
  'case',
  'handoff',
  'flow',
  'slot',
  'understanding',
  'channel',
  'system',
] as const;
export type EventTopic = (typeof EVENT_TOPICS)[number];

/** A transcript line in plain words. */
export interface LineView {
  at: number;
  speaker: Speaker;
  kind: LineKind;
  /** Set for `kind: 'event'`. */
  topic?: EventTopic;
  /** The event's code, e.g. `slot.rejected` (events only). */
  event?: string;
  /** What was said, or the event as a sentence in the desk's locale. */
  text: string;
  /** Who said it, in words: "Customer", "Bot", the agent's name. */
  by: string;
  channel?: ChannelName;
}

export interface QueueView {
  id: string;
  label: string;
  slaMs: number;
  queued: number;
  assigned: number;
}

export interface AgentView {
  username: string;
  name: string;
  roles: AgentRole[];
  skills: { queues: string[]; languages: string[] };
}

export interface CustomerPanel {
  customerId: string;
  name?: string;
  channels: { channel: ChannelName; userId: string; display: string }[];
  previousCases: {
    id: string;
    status: CaseStatus;
    queue: Labelled;
    reason: Labelled<EscalationReason>;
    /** resolved → handed back to the bot; closed → closed by the agent; open → still queued/assigned. */
    outcome: Labelled<'open' | 'handed_back' | 'closed' | 'erased'>;
    createdAt: number;
    updatedAt: number;
  }[];
  consent: { purpose: string; label: string; state: 'granted' | 'refused' | 'not_asked'; at?: number }[];
}

/** A canned response rendered for one case; `missing` names placeholders with no value (left as `{…}`). */
export interface CannedView {
  id: string;
  title: string;
  text: string;
  missing: string[];
}

export interface SupervisorStats {
  at: number;
  queues: (QueueView & { longestWaitMs: number; averageWaitMs: number; breaches: number })[];
  agents: { username: string; name: string; online: boolean; assigned: number }[];
  breaches: { caseId: string; title: string; queue: string; waitMs: number; slaMs: number }[];
  /** Since local midnight (the server's time zone). `null` when nothing to measure yet. */
  today: {
    from: number;
    conversations: number;
    containment: number | null;
    csat: number | null;
    escalations: number;
  };
}
