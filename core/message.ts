import type { JsonObject } from './json';

/**
 * A channel's name, as its connector registers it (`rest`, `webchat`, `twilio-sms`, `alexa`, a company's
 * own). Open on purpose: adding a connector touches its own folder, not `core/`. Names are checked once,
 * when the connector registers (`isChannelName`).
 */
export type ChannelName = string;

/** Lower-case letters, digits and dashes, starting with a letter: safe in keys, URLs and logs. */
export const CHANNEL_NAME = /^[a-z][a-z0-9-]{0,31}$/;

export function isChannelName(name: string): boolean {
  return CHANNEL_NAME.test(name);
}

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
  /**
   * For `kind: 'event'`: the dialog gets it (`{ type: 'event', name: event, data: metadata }`), so flows can
   * start on it or wait for it (a device's fault). Without it an event is only a line in the transcript.
   */
  toFlows?: boolean;
  locale?: string;
  /** Epoch milliseconds. */
  timestamp: number;
  /**
   * The client's own number for the message within its conversation: it is processed after the message
   * numbered one less (waiting for it a bounded time), whatever order the two arrived in.
   */
  sequence?: number;
  metadata?: JsonObject;
  /** The channel payload, for the connector's own use. Never stored, never logged. */
  raw?: unknown;
}

/** A quick reply: `payload` is sent back as the customer's message when chosen (`/order_status`). */
export interface Button {
  title: string;
  payload: string;
}

/** A rich card; channels without cards get its title, text and link as plain text. */
export interface Card {
  title: string;
  text?: string;
  imageUrl?: string;
  /** Where the card's title or "open" action leads. */
  url?: string;
  buttons?: Button[];
}

/** An image, audio clip, video or file sent with a reply. */
export interface Media {
  url: string;
  /** MIME type, e.g. `image/png`, `audio/mpeg`. */
  contentType: string;
  /** What a channel that cannot show the media says instead. */
  altText?: string;
}

/** Who speaks in a reply or transcript line. */
export type Speaker = 'customer' | 'bot' | 'agent' | 'system';

/**
 * One thing said back to the customer, channel-neutral. `text` is always there and is what every channel
 * can fall back to; the other fields are used where the connector's capabilities allow and degraded in one
 * place (`core/degrade.ts`) where they do not.
 */
export interface Reply {
  text: string;
  from: Exclude<Speaker, 'customer'>;
  /** Display name of the agent, when `from` is `agent`. */
  agentName?: string;
  /** The spoken form for voice channels: SSML (`<speak>…</speak>`) or plain words. */
  speech?: string;
  /** A shorter form for length-limited channels (SMS); falls back to `text`. */
  short?: string;
  buttons?: Button[];
  cards?: Card[];
  media?: Media[];
  /** The conversation is over for now: a voice channel hangs up, a speaker closes the session. */
  endSession?: boolean;
  /** The bot waits for an answer: a voice channel keeps listening (and reprompts) instead of hanging up. */
  expectInput?: boolean;
  /**
   * The question this reply asks, for channels that listen (a phone call biases recognition to the slot,
   * and keeps card details out of the transcript while a `sensitive` slot is asked). Never shown.
   */
  asks?: { slot: string; entity?: string; sensitive?: boolean };
  /** Set on the reply that tells the customer a case opened: a phone call transfers or promises a call back. */
  handoff?: { caseId: string; callBack?: boolean };
}
