import type { JsonObject } from './json';
import type { ChannelName, Speaker } from './message';

/**
 * One line of a conversation's transcript. Transcripts hold every inbound message, reply, agent message
 * and system event, in order, already redacted.
 */
export interface TranscriptEntry {
  /** Epoch milliseconds. */
  at: number;
  speaker: Speaker;
  channel: ChannelName;
  /** Present for said text (customer, bot, agent). */
  text?: string;
  /** Present for system events: `escalated`, `case.claimed`, `fallback`, `dialog.error`, ... */
  event?: string;
  intent?: string;
  confidence?: number;
  messageId?: string;
  agent?: string;
  data?: JsonObject;
}
