import type { ChannelCapabilities } from '../../core/connector';
import { degradeReplies } from '../../core/degrade';
import type { Message, Reply } from '../../core/message';
import type { Clock, IdGenerator, Logger } from '../../core/ports';
import type { ConversationRuntime, SeenLine } from '../../core/runtime';
import { storeUnavailable } from '../../core/store-unavailable';
import { parseClientFrame, type ClientFrame, type ServerFrame } from './webchat.protocol';

const UNAVAILABLE_DETAIL =
  'The service is briefly unavailable; your message was not taken. Send it again shortly.';

export interface WebChatSessionDeps {
  runtime: ConversationRuntime;
  logger: Logger;
  clock: Clock;
  ids: IdGenerator;
  /** Makes an unguessable session id (matching `SESSION_ID`). */
  newSessionId(): string;
  maxFrameBytes: number;
  /** Frames waiting behind the current turn before the client is told it is sending too fast. */
  maxPending: number;
  /** A brand-new session gets a `launch` turn so the bot greets first. */
  greetNewSessions: boolean;
}

/** How many recent lines a resumed session redraws. */
const HISTORY_LINES = 50;

type TurnInput =
  | { kind: 'text'; text: string; id?: string; label?: string }
  | { kind: 'launch'; locale?: string | undefined };

/**
 * One browser tab's conversation, independent of the socket library: frames in through `receive`,
 * frames out through `send`. Frames are processed one at a time so replies, typing indicators and
 * errors reach the page in the order the customer sent their messages.
 */
/** While the customer keeps typing, the desk hears it again this often (its indicator may time out). */
const TYPING_REPEAT_MS = 3000;

export class WebChatSession {
  private sessionId: string | undefined;
  private queue: Promise<void> = Promise.resolve();
  private pending = 0;
  private closed = false;
  private stopPush: (() => Promise<void>) | undefined;
  private stopTyping: (() => Promise<void>) | undefined;
  private lastTyping = { active: false, at: 0 };

  constructor(
    private readonly deps: WebChatSessionDeps,
    private readonly send: (frame: ServerFrame) => void,
  ) {}

  /** True once a hello has been accepted. */
  get started(): boolean {
    return this.sessionId !== undefined;
  }

  receive(data: string): void {
    const result = parseClientFrame(data, this.deps.maxFrameBytes);
    if (!result.ok) {
      this.send({ type: 'error', error: result.error, detail: result.detail });
      return;
    }
    // Typing is a hint, not a turn: it never waits behind one and is never counted as one.
    if (result.frame.type === 'typing') return this.customerTyping(result.frame.active);
    if (this.pending >= this.deps.maxPending) {
      this.send({ type: 'error', error: 'busy', detail: 'too many messages at once; wait for the reply' });
      return;
    }
    this.pending += 1;
    this.queue = this.queue
      .then(() => this.process(result.frame))
      .catch((error: unknown) => {
        this.deps.logger.error({ err: error }, 'web chat frame failed');
        // A hello that found a store down: the page reconnects later instead of waiting for `ready`.
        if (storeUnavailable(error))
          this.send({ type: 'error', error: 'unavailable', detail: UNAVAILABLE_DETAIL });
      })
      .finally(() => {
        this.pending -= 1;
      });
  }

  /** Stops pushes to this socket. A turn already running finishes; its replies go nowhere. */
  async close(): Promise<void> {
    this.closed = true;
    const stop = this.stopPush;
    this.stopPush = undefined;
    if (stop) await stop();
    const stopTyping = this.stopTyping;
    this.stopTyping = undefined;
    if (stopTyping) await stopTyping();
  }

  /** Relays the customer's typing, once per change (or every few seconds while it goes on). */
  private customerTyping(active: boolean): void {
    const relay = this.deps.runtime.typing;
    const session = this.conversationId;
    const now = this.deps.clock.now();
    if (!relay || session === undefined || this.closed) return;
    const { active: was, at } = this.lastTyping;
    if (active === was && (!active || now - at < TYPING_REPEAT_MS)) return;
    this.lastTyping = { active, at: now };
    relay
      .publish(session, { who: 'customer', active })
      .catch((error: unknown) => this.deps.logger.warn({ err: error }, 'web chat typing relay failed'));
  }

  private async process(frame: ClientFrame): Promise<void> {
    if (this.closed) return;
    if (frame.type === 'hello') {
      await this.start(frame.sessionId, frame.locale);
      return;
    }
    if (frame.type === 'typing') return;
    if (this.sessionId === undefined) {
      this.send({
        type: 'error',
        error: 'hello_required',
        detail: 'send a hello frame first',
        replyTo: frame.id,
      });
      return;
    }
    await this.turn({ kind: 'text', text: frame.text, id: frame.id, label: frame.label });
  }

  private async start(requested: string | undefined, locale: string | undefined): Promise<void> {
    if (this.sessionId !== undefined) {
      this.send({ type: 'error', error: 'bad_frame', detail: 'hello was already received on this socket' });
      return;
    }
    const sessionId = requested ?? this.deps.newSessionId();
    const stop = await this.deps.runtime.onPush(conversationIdOf(sessionId), (reply) => this.push(reply));
    if (this.closed) {
      await stop();
      return;
    }
    this.sessionId = sessionId;
    this.stopPush = stop;
    const relay = this.deps.runtime.typing;
    if (relay) {
      const stopTyping = await relay.listen(conversationIdOf(sessionId), (event) => {
        if (event.who !== 'agent' || this.closed) return;
        this.send({ type: 'typing', active: event.active, ...(event.name ? { agent: event.name } : {}) });
      });
      if (this.closed) await stopTyping();
      else this.stopTyping = stopTyping;
    }
    if (requested === undefined) {
      this.send({ type: 'ready', sessionId, resumed: false });
    } else {
      // The transcript, not the browser, is the record: a reopened tab shows what was said while it was away.
      const history = await this.deps.runtime.history(conversationIdOf(sessionId), HISTORY_LINES);
      this.send({ type: 'ready', sessionId, resumed: true, history: history.map(sanitizeLine) });
    }
    if (requested === undefined && this.deps.greetNewSessions) await this.turn({ kind: 'launch', locale });
  }

  /** The conversation this socket speaks for, once hello was accepted. */
  get conversationId(): string | undefined {
    return this.sessionId === undefined ? undefined : conversationIdOf(this.sessionId);
  }

  /** Sends a reply from outside a turn; false when the socket is closed or not started. */
  push(reply: Reply): boolean {
    if (this.closed || this.sessionId === undefined) return false;
    for (const frame of renderWebChat([reply])) this.send(frame);
    return true;
  }

  private async turn(input: TurnInput): Promise<void> {
    const message = this.toMessage(input);
    const replyTo = input.kind === 'text' ? input.id : undefined;
    this.send({ type: 'typing', active: true });
    try {
      const replies = await this.deps.runtime.handle(message);
      for (const frame of renderWebChat(replies, replyTo)) this.send(frame);
    } catch (error) {
      const about = { err: error, conversationId: message.conversationId, messageId: message.messageId };
      if (storeUnavailable(error)) {
        this.deps.logger.warn(about, 'web chat turn refused: store unavailable');
        this.send({ type: 'error', error: 'unavailable', detail: UNAVAILABLE_DETAIL, replyTo });
        return;
      }
      this.deps.logger.error(about, 'web chat turn failed');
      this.send({
        type: 'error',
        error: 'internal_error',
        detail: 'Sorry, something went wrong on our side. Please try again.',
        replyTo,
      });
    } finally {
      this.send({ type: 'typing', active: false });
    }
  }

  private toMessage(input: TurnInput): Message {
    const sessionId = this.sessionId as string;
    const base = {
      channel: 'webchat' as const,
      channelUserId: sessionId,
      conversationId: conversationIdOf(sessionId),
      timestamp: this.deps.clock.now(),
    };
    if (input.kind === 'launch')
      return {
        ...base,
        kind: 'launch',
        messageId: `launch:${sessionId}`,
        ...(input.locale ? { locale: input.locale } : {}),
      };
    return textMessage(sessionId, input, this.deps);
  }
}

/** A customer's `message` frame on a session as a Message. */
export function textMessage(
  sessionId: string,
  frame: { text: string; id?: string; label?: string },
  { clock, ids }: { clock: Clock; ids: IdGenerator },
): Message {
  return {
    channel: 'webchat',
    channelUserId: sessionId,
    conversationId: conversationIdOf(sessionId),
    timestamp: clock.now(),
    kind: 'text',
    text: frame.text,
    messageId: frame.id ?? ids.next(),
    ...(frame.label !== undefined ? { label: frame.label } : {}),
  };
}

export function conversationIdOf(sessionId: string): string {
  return `webchat:${sessionId}`;
}

/** What the chat page shows: text and quick replies, pushed live, with a typing indicator. */
export const WEBCHAT_CAPABILITIES: ChannelCapabilities = {
  text: true,
  buttons: true,
  cards: false,
  speech: false,
  audio: false,
  media: false,
  push: true,
  typing: true,
  endSession: false,
};

/** Replies degraded to what the page shows, one `reply` frame each. */
export function renderWebChat(replies: readonly Reply[], replyTo?: string): ServerFrame[] {
  return degradeReplies(replies, WEBCHAT_CAPABILITIES).map((reply) => ({
    type: 'reply',
    reply: sanitizeReply(reply),
    ...(replyTo !== undefined ? { replyTo } : {}),
  }));
}

/** Only the fields the page renders leave the server (a reply object may grow internal fields later). */
function sanitizeReply(reply: Reply): Reply {
  const out: Reply = { text: reply.text, from: reply.from };
  if (reply.agentName !== undefined) out.agentName = reply.agentName;
  if (reply.buttons && reply.buttons.length > 0) {
    out.buttons = reply.buttons.map(({ title, payload }) => ({ title, payload }));
  }
  return out;
}

/** Only the fields the page renders leave the server. */
function sanitizeLine(line: SeenLine): SeenLine {
  return { speaker: line.speaker, text: line.text, ...(line.agentName ? { agentName: line.agentName } : {}) };
}
