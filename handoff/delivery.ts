import type { DialogEngine } from '../core/dialog';
import type { JsonValue } from '../core/json';
import type { ChannelName, Reply } from '../core/message';
import type { Redactor } from '../core/pipeline';
import type { Clock, ConversationState, Logger, Stores } from '../core/ports';
import type { TranscriptEntry } from '../core/transcript';
import type { MessageCatalogue } from '../core/messages';
import { frameworkMessages } from '../locales/load';

/** A transcript line before the runtime stamps it with the time and the customer's current channel. */
export type Line = Omit<TranscriptEntry, 'at' | 'channel'>;

/** Where an out-of-turn reply goes: the customer's current channel and identity on it. */
export interface DeliveryTarget {
  conversationId: string;
  channel: ChannelName;
  channelUserId?: string;
}

/**
 * Sends replies to a channel that cannot hold a live connection (a REST client's callback URL), in order,
 * and resolves how many of them (from the first) were delivered: the rest wait for the next request.
 */
export type OutboundSender = (target: DeliveryTarget, replies: Reply[]) => Promise<number>;

/** Thrown when an agent or hand-back addresses a conversation the stores no longer know (expired, erased). */
export class ConversationNotFoundError extends Error {
  constructor(readonly conversationId: string) {
    super(`conversation ${conversationId} not found`);
    this.name = 'ConversationNotFoundError';
  }
}

export interface DeliveryDeps {
  stores: Pick<Stores, 'conversations' | 'turns' | 'transcripts' | 'bus'>;
  dialog: Pick<DialogEngine, 'step'>;
  redact: Redactor;
  clock: Clock;
  logger: Logger;
  defaultLocale?: string;
  /** Channels that cannot take a push: replies wait in `state.pending` (or go to `outbound`). */
  heldChannels?: readonly ChannelName[];
  outbound?: OutboundSender;
  /** The framework's sentences per locale (the framework's catalogue when absent). */
  messages?: MessageCatalogue;
}

/**
 * A reply for the customer, or a way to word it in the conversation's language (known only once the
 * conversation is loaded inside its turn queue).
 */
export type OutOfTurnReply = Reply | ((locale: string) => Reply);

/** What agents and the agent desk do to a conversation from outside a customer turn. */
export interface Delivery {
  /** Records `lines` and sends `reply` to the customer's current channel; returns the lines written. */
  deliver(conversationId: string, reply: OutOfTurnReply, lines?: Line[]): Promise<TranscriptEntry[]>;
  /** Records lines (notes, status changes) in turn order without telling the customer anything. */
  record(conversationId: string, lines: Line[]): Promise<TranscriptEntry[]>;
  /**
   * Gives the conversation back to the bot: clears the open case, lets the dialog say it is back (and,
   * typically, ask whether the customer is satisfied), and delivers what it said.
   */
  handBack(
    conversationId: string,
    input: { caseId: string; agentName?: string; lines?: Line[] },
  ): Promise<TranscriptEntry[]>;
  /** Ends a case without the bot speaking: clears the open case and delivers `reply`. */
  release(
    conversationId: string,
    caseId: string,
    reply: OutOfTurnReply,
    lines?: Line[],
  ): Promise<TranscriptEntry[]>;
}

export const pushTopic = (conversationId: string): string => `push:${conversationId}`;

/** The English fallback; customers get the catalogue's `handoff.backFallback` in their language. */
export const HANDBACK_FALLBACK: Reply = {
  from: 'bot',
  text: "You're back with the assistant. Is there anything else I can help with?",
};

interface Outcome {
  lines: Line[];
  replies: Reply[];
}

/**
 * Out-of-turn work (an agent's reply, a note, a hand-back) runs in the conversation's turn queue, so it
 * is ordered with the customer's own turns in the transcript and in the dialog state, on every process.
 */
export function createDelivery(deps: DeliveryDeps): Delivery {
  const { stores, clock, logger } = deps;
  const held = new Set<ChannelName>(deps.heldChannels ?? ['rest']);
  const messages = deps.messages ?? frameworkMessages();
  const localeOf = (state: ConversationState): string =>
    state.locale ?? deps.defaultLocale ?? messages.defaultLocale;
  const word = (reply: OutOfTurnReply, state: ConversationState): Reply =>
    typeof reply === 'function' ? reply(localeOf(state)) : reply;

  async function outOfTurn(
    conversationId: string,
    work: (state: ConversationState, target: DeliveryTarget, now: number) => Promise<Outcome>,
  ): Promise<TranscriptEntry[]> {
    return stores.turns.run(conversationId, async () => {
      const state = await stores.conversations.get(conversationId);
      if (!state) throw new ConversationNotFoundError(conversationId);
      const now = clock.now();
      const target = await targetOf(state);
      const outcome = await work(state, target, now);
      const replies = outcome.replies.map((reply) => redactReply(reply));
      const entries = [
        ...outcome.lines.map((line) => redactLine({ at: now, channel: target.channel, ...line })),
        ...replies.map((reply) => replyLine(reply, now, target.channel)),
      ];
      if (replies.length > 0 && held.has(target.channel)) {
        const sent = await sendOutbound(target, replies);
        if (sent < replies.length) state.pending = [...(state.pending ?? []), ...replies.slice(sent)];
      }
      state.updatedAt = now;
      await stores.conversations.put(state);
      await stores.transcripts.append(conversationId, entries);
      // Live channels listen on the bus (maybe on another process); a held channel has no listener.
      for (const reply of replies) await stores.bus.publish(pushTopic(conversationId), toJson(reply));
      return entries;
    });
  }

  async function targetOf(state: ConversationState): Promise<DeliveryTarget> {
    const channel = state.channel ?? (await lastChannel(state.conversationId));
    return {
      conversationId: state.conversationId,
      channel,
      ...(state.channelUserId ? { channelUserId: state.channelUserId } : {}),
    };
  }

  /** States written before the pipeline kept the channel: the transcript's last line knows it. */
  async function lastChannel(conversationId: string): Promise<ChannelName> {
    const count = await stores.transcripts.count(conversationId);
    const [last] = await stores.transcripts.read(conversationId, {
      offset: Math.max(0, count - 1),
      limit: 1,
    });
    if (!last) throw new ConversationNotFoundError(conversationId);
    return last.channel;
  }

  async function sendOutbound(target: DeliveryTarget, replies: Reply[]): Promise<number> {
    if (!deps.outbound) return 0;
    try {
      return await deps.outbound(target, replies);
    } catch (error) {
      logger.warn({ err: error, conversationId: target.conversationId }, 'outbound delivery failed');
      return 0;
    }
  }

  function redactReply(reply: Reply): Reply {
    return { ...reply, text: deps.redact(reply.text).text };
  }

  function redactLine(entry: TranscriptEntry): TranscriptEntry {
    return entry.text === undefined ? entry : { ...entry, text: deps.redact(entry.text).text };
  }

  async function stepBack(
    state: ConversationState,
    target: DeliveryTarget,
    now: number,
    input: { caseId: string; agentName?: string },
  ): Promise<Outcome> {
    const turn = {
      conversationId: state.conversationId,
      customerId: state.customerId,
      channel: target.channel,
      locale: localeOf(state),
      now,
    };
    const dialogInput = {
      type: 'handback' as const,
      caseId: input.caseId,
      ...(input.agentName ? { agentName: input.agentName } : {}),
    };
    try {
      const outcome = await deps.dialog.step(state.dialog, dialogInput, turn);
      state.dialog = outcome.state;
      if (outcome.escalation) {
        logger.warn({ conversationId: state.conversationId }, 'ignored an escalation from a hand-back step');
      }
      const events = outcome.events.map((e) => ({ speaker: 'system' as const, ...e }));
      return { lines: events, replies: outcome.replies };
    } catch (error) {
      // The case is over either way: the customer still gets the bot back, with a plain greeting.
      logger.error({ err: error, conversationId: state.conversationId }, 'hand-back dialog step failed');
      const text = messages.text(localeOf(state), 'handoff.backFallback');
      return {
        lines: [{ speaker: 'system', event: 'dialog.error' }],
        replies: [{ ...HANDBACK_FALLBACK, text }],
      };
    }
  }

  return {
    deliver: (conversationId, reply, lines = []) =>
      outOfTurn(conversationId, async (state) => ({ lines, replies: [word(reply, state)] })),
    record: (conversationId, lines) => outOfTurn(conversationId, async () => ({ lines, replies: [] })),
    handBack: (conversationId, input) =>
      outOfTurn(conversationId, async (state, target, now) => {
        if (state.caseId === input.caseId) delete state.caseId;
        const outcome = await stepBack(state, target, now, input);
        return { lines: [...(input.lines ?? []), ...outcome.lines], replies: outcome.replies };
      }),
    release: (conversationId, caseId, reply, lines = []) =>
      outOfTurn(conversationId, async (state) => {
        if (state.caseId === caseId) delete state.caseId;
        return { lines, replies: [word(reply, state)] };
      }),
  };
}

function replyLine(reply: Reply, at: number, channel: ChannelName): TranscriptEntry {
  return {
    at,
    speaker: reply.from,
    channel,
    text: reply.text,
    ...(reply.agentName ? { agent: reply.agentName } : {}),
    ...(reply.buttons?.length ? { data: { buttons: reply.buttons.map((b) => b.title) } } : {}),
  };
}

function toJson(reply: Reply): JsonValue {
  return JSON.parse(JSON.stringify(reply)) as JsonValue;
}
