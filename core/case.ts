import type { JsonObject } from './json';
import type { ChannelName } from './message';
import type { TranscriptEntry } from './transcript';

/** Why the bot handed a conversation to a person. */
export const ESCALATION_REASONS = [
  'customer_request',
  'repeated_misunderstanding',
  'negative_sentiment',
  'complaint',
  'policy',
  'flow_decision',
] as const;
export type EscalationReason = (typeof ESCALATION_REASONS)[number];

export type CaseStatus = 'queued' | 'assigned' | 'resolved' | 'closed';

/** What the bot knew and did before the handoff, so the agent never asks again. */
export interface HandoffSummary {
  lastIntent?: string;
  /** Slots the flows collected (already redacted). */
  slots: JsonObject;
  /** Human-readable lines: what the customer asked and what the bot tried or answered. */
  tried: string[];
  /** -1 (very negative) .. 1 (very positive), when known. */
  sentiment?: number;
}

export interface CustomerIdentity {
  channel: ChannelName;
  id: string;
}

/** The versioned document an agent (or an external agent hub) receives. */
export interface HandoffPackage {
  version: 1;
  reason: EscalationReason;
  /** Free text from the flow or trigger, e.g. "troubleshooting did not fix the outage". */
  detail?: string;
  summary: HandoffSummary;
  customer: { id: string; identities: CustomerIdentity[] };
  /** The whole conversation, in order, since it began. */
  transcript: TranscriptEntry[];
  /** When a connected device raised the case: what it reported, what was tried and what it answered. */
  device?: DeviceDiagnostics;
}

/** A device's side of a case (all telemetry already redacted). */
export interface DeviceDiagnostics {
  id: string;
  model: string;
  /** The fault that raised the case. */
  fault: JsonObject;
  /** Events the device reported (faults, telemetry), oldest first. */
  events: JsonObject[];
  /** Remote commands Parley sent it. */
  commands: JsonObject[];
  /** What the device answered to them. */
  results: JsonObject[];
  /** The latest telemetry it reported. */
  telemetry?: JsonObject;
  /** Events received in the last minute when the case opened. */
  eventsPerMinute?: number;
}

/** A person who works cases in the agent desk. `name` is what customers see ("You're now chatting with Sam"). */
export interface Agent {
  username: string;
  name: string;
  /**
   * What the person may do: `agent` works cases, `supervisor` also assigns and transfers any case and sees
   * the team's figures, `privacy` (a privacy officer) exports and erases customers' data, `designer` opens
   * the flow viewer (`/designer`) outside development. Absent: `agent`.
   */
  roles?: AgentRole[];
  /** The queues and languages the agent works; an empty or absent list means any. */
  skills?: AgentSkills;
}

export interface AgentSkills {
  queues?: string[];
  languages?: string[];
}

export const AGENT_ROLES = ['agent', 'supervisor', 'privacy', 'designer'] as const;
export type AgentRole = (typeof AGENT_ROLES)[number];

export interface Case {
  id: string;
  conversationId: string;
  customerId: string;
  channels: ChannelName[];
  queue: string;
  priority: number;
  status: CaseStatus;
  /** The one agent who owns the case while `assigned`. */
  owner?: string;
  createdAt: number;
  updatedAt: number;
  /** The customer's locale when the case opened (routing by language). */
  language?: string;
  /** When the case last entered its queue (opened, or transferred to another queue); `createdAt` when absent. */
  queuedAt?: number;
  /** When an agent took it from the queue (claim or assignment), for queue waits and SLAs. */
  claimedAt?: number;
  /** Set on the tombstone left when the customer was erased (`tombstoneOf`). */
  erasedAt?: number;
  package: HandoffPackage;
}

/** A request from a flow or trigger to hand the conversation over. */
export interface EscalationRequest {
  reason: EscalationReason;
  detail?: string;
  queue?: string;
  priority?: number;
  /** Copied into the package when a device raised the case. */
  device?: DeviceDiagnostics;
}
