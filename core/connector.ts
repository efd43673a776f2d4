import type { HttpRoute, SocketEndpoint } from './http';
import type { ChannelName, Message, Reply } from './message';
import type { Clock, IdGenerator, Logger, OutboxTarget, ProactiveSender } from './ports';
import type { ConversationRuntime } from './runtime';

/**
 * What a channel can carry. Replies are degraded to it in one place (`degradeReplies`, core/degrade.ts),
 * so a connector renders only what it declares and never has to guess.
 */
export interface ChannelCapabilities {
  /** Shows written text. False for voice-only channels (a phone call, a smart speaker). */
  text: boolean;
  /** Quick-reply buttons whose payload comes back as the customer's message. */
  buttons: boolean;
  /** Rich cards (title, text, image, link, buttons). */
  cards: boolean;
  /** Speaks replies: `'ssml'` takes SSML markup, `'plain'` plain words only, `false` does not speak. */
  speech: false | 'plain' | 'ssml';
  /** Plays audio clips (`Media` with an `audio/*` type). */
  audio: boolean;
  /** Shows images, video and files (`Media` other than audio). */
  media: boolean;
  /** Can reach the customer outside a turn: the connector then offers `send`. */
  push: boolean;
  /** Shows a "typing…" indicator while a turn runs. */
  typing: boolean;
  /** Can end a session (hang up, close the speaker's session) when a reply says `endSession`. */
  endSession: boolean;
  /** Longest text one message may hold (SMS: 160); longer replies use `short` or are split. */
  maxTextLength?: number;
}

/** What a connector gets from the server it runs in. Its own settings are its factory's arguments. */
export interface ConnectorContext {
  runtime: ConversationRuntime;
  logger: Logger;
  clock: Clock;
  ids: IdGenerator;
}

/** What a connector mounts on Parley's HTTP server. */
export interface ConnectorMount {
  routes?: readonly HttpRoute[];
  sockets?: readonly SocketEndpoint[];
}

/** The outcome of reading a channel payload: a message, or why the payload is not one (never throws). */
export type PayloadResult = { ok: true; message: Message } | { ok: false; detail: string };

/**
 * A channel plug-in. A connector's factory (`createRestConnector(options)`) makes one instance per server;
 * the registry checks its name, the HTTP server mounts its routes, and `start`/`stop` run its own transport.
 * `Rendered` is what the channel sends out (Rasa reply objects, socket frames, printed lines).
 *
 * @example
 * const connectors = createConnectorRegistry();
 * connectors.register(createRestConnector({ token }));
 * createHttpServer({ runtime, logger, connectors });
 */
export interface Connector<Rendered = unknown> {
  /** The channel's name (`rest`, `webchat`, `twilio-sms`): checked with `isChannelName` at registration. */
  readonly name: ChannelName;
  readonly capabilities: ChannelCapabilities;
  /** HTTP routes and WebSocket endpoints on Parley's server. Called once, before the server listens. */
  mount?(context: ConnectorContext): ConnectorMount;
  /** Opens a transport of the connector's own: an MQTT client, a gRPC stream, the terminal's streams. */
  start?(context: ConnectorContext): Promise<void>;
  /** Closes what `start` opened (mounted sockets are closed by the server). */
  stop?(): Promise<void>;
  /** The channel's payload as one channel-neutral Message, validated at this edge. */
  toMessage(payload: unknown, context: Pick<ConnectorContext, 'clock' | 'ids'>): PayloadResult;
  /** Replies in the channel's own shape, after degrading them to `capabilities`. */
  render(replies: readonly Reply[], target: OutboxTarget): Rendered;
  /**
   * Out-of-turn delivery, present when `capabilities.push` is true. Usable once the connector is mounted or
   * started; before that it delivers nothing (resolves 0).
   */
  send?: ProactiveSender;
}
