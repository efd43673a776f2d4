import type { JsonObject } from './json';

/** Every channel Parley speaks. Add a name here when a connector for it lands. */
export const CHANNELS = ['rest', 'webchat', 'terminal', 'botframework', 'test'] as const;
export type ChannelName = (typeof CHANNELS)[number];

export type MessageKind = 'text' | 'speech' | 'event' | 'launch' | 'end';

/** One customer input, channel-neutral. Connectors build it; nothing behind them sees vendor payloads. */
export interface Message {
  channel: ChannelName;
  /** The customer's id on that channel (a Rasa `sender`, a web chat session, a phone number). */
  channelUserId: string;
  conversationId: string;
  /** The channel's own id for this message: a retry with the same id is answered, not processed again. */
  messageId: string;
  kind: MessageKind;
  text?: string;
  speech?: { transcript: string; confidence: number };
  /**
   * What the customer saw themselves send, when `text` is a button's payload (`/order_status` shown as
   * "Track my order"): transcripts and redrawn chats show this.
   */
  label?: string;
  /** Named event for `kind: 'event'` (e.g. a button payload `/order_status`). */
  event?: string;
  locale?: string;
  /** Epoch milliseconds. */
  timestamp: number;
  metadata?: JsonObject;
  /** The channel payload, for the connector's own use. Never stored, never logged. */
  raw?: unknown;
}

export interface Button {
  title: string;
  payload: string;
}

/** Who speaks in a reply or transcript line. */
export type Speaker = 'customer' | 'bot' | 'agent' | 'system';

/** One thing said back to the customer; connectors render it for their channel. */
export interface Reply {
  text: string;
  buttons?: Button[];
  from: Exclude<Speaker, 'customer'>;
  /** Display name of the agent, when `from` is `agent`. */
  agentName?: string;
}
