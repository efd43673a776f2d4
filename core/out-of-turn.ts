import type { EscalationRequest } from './case';
import type { DialogEngine } from './dialog';
import type { StageName } from './errors';
import { timeForId } from './identifiers';
import type { Message, Reply } from './message';
import type { HandoffPort, Redactor } from './pipeline';
import type { MessageCatalogue } from './messages';
import type { ChannelAddress, ConversationState, Outbox, Stores } from './ports';
import { note, say, type Line, type OutOfTurnInput, type TurnContext, type WordedReply } from './turn';

/** The English fallback; customers get the catalogue's `handoff.backFallback` in their language. */
export const HANDBACK_FALLBACK: Reply = {
  from: 'bot',
  text: "You're back with the assistant. Is there anything else I can help with?",
};

export interface OutOfTurnDeps {
  dialog: Pick<DialogEngine, 'step'>;
  outbox: Pick<Outbox, 'send'>;
  defaultLocale?: string;
  /** The framework's sentences per locale; the English fallbacks without it. */
  messages?: MessageCatalogue;
  /** Opens cases for `escalate` input. */
  handoff?: Pick<HandoffPort, 'escalate'>;
}

type BuiltIn = (ctx: TurnContext) => Promise<void>;
type OutOfTurnContext = TurnContext & { input: OutOfTurnInput };

const asOutOfTurn = (ctx: TurnContext): OutOfTurnContext => {
  if (ctx.input.type === 'message') throw new Error('an out-of-turn stage ran for a customer message');
  return ctx as OutOfTurnContext;
};

/** Redacts every line and reply an agent or the system adds, before anything stores or sends them. */
export function redactInput(input: OutOfTurnInput, redact: Redactor): OutOfTurnInput {
  const line = (l: Line): Line => (l.text === undefined ? l : { ...l, text: redact(l.text).text });
  const lines = input.lines?.map(line);
  const clean = (r: Reply): Reply => ({
    ...r,
    text: redact(r.text).text,
    ...(r.speech !== undefined ? { speech: redact(r.speech).text } : {}),
    ...(r.short !== undefined ? { short: redact(r.short).text } : {}),
  });
  // A reply worded later (in the conversation's language) is redacted once it is worded.
  const reply = (r: WordedReply): WordedReply =>
    typeof r === 'function' ? (locale: string) => clean(r(locale)) : clean(r);
  switch (input.type) {
    case 'note':
      return { ...input, lines: lines ?? [] };
    case 'handback':
      return { ...input, ...(lines ? { lines } : {}) };
    case 'deliver':
    case 'release':
    case 'escalate':
      return { ...input, reply: reply(input.reply), ...(lines ? { lines } : {}) };
  }
}

/** The message an out-of-turn turn carries: an event on the customer's current address, without text. */
export function outOfTurnMessage(
  conversationId: string,
  address: ChannelAddress,
  input: OutOfTurnInput,
  now: number,
): Message {
  return {
    channel: address.channel,
    channelUserId: address.userId,
    conversationId,
    messageId: `${input.type}@${timeForId(now)}`,
    kind: 'event',
    event: input.type,
    timestamp: now,
  };
}

/** Where the customer can be reached now: the address of their latest message. */
export async function currentAddress(
  transcripts: Stores['transcripts'],
  state: ConversationState,
): Promise<ChannelAddress | undefined> {
  const userId = state.channelUserId ?? '';
  if (state.channel) return { channel: state.channel, userId };
  // States written before the pipeline kept the channel: the transcript's last line knows it.
  const count = await transcripts.count(state.conversationId);
  const [last] = await transcripts.read(state.conversationId, { offset: Math.max(0, count - 1), limit: 1 });
  return last && { channel: last.channel, userId };
}

/**
 * The built-in work of each stage for out-of-turn input. `identify`, `understand` and `record` have
 * nothing of their own here: the conversation was loaded when the input was addressed, there is nothing
 * to understand, and recording is shared with customer turns.
 */
export function outOfTurnStages(deps: OutOfTurnDeps): Partial<Record<StageName, BuiltIn>> {
  return {
    receive: async (ctx) => {
      for (const line of asOutOfTurn(ctx).input.lines ?? []) {
        ctx.entries.push({ at: ctx.now, channel: ctx.message.channel, ...line });
      }
    },
    route: async (ctx) => {
      const { input } = asOutOfTurn(ctx);
      // Whoever had the conversation, a finished case gives it back.
      if ((input.type === 'handback' || input.type === 'release') && ctx.state.caseId === input.caseId) {
        delete ctx.state.caseId;
      }
    },
    decide: async (ctx) => {
      const { input } = asOutOfTurn(ctx);
      if (input.type === 'deliver' || input.type === 'release' || input.type === 'escalate') {
        say(ctx, typeof input.reply === 'function' ? input.reply(localeOf(deps, ctx)) : input.reply);
      }
      if (input.type === 'handback') await stepBack(deps, ctx, input);
      if (input.type === 'escalate') await escalate(deps, ctx, input.request);
    },
    respond: async (ctx) => {
      if (ctx.replies.length > 0) {
        const address = { channel: ctx.message.channel, userId: ctx.message.channelUserId };
        const target = { conversationId: ctx.message.conversationId, address, session: ctx.session };
        const held = await deps.outbox.send(target, ctx.replies);
        if (held.length > 0) ctx.state.pending = [...(ctx.state.pending ?? []), ...held];
      }
      // Written with the turn's lines by the pipeline's commit.
      ctx.state.updatedAt = ctx.now;
    },
  };
}

/** Lets the dialog say it is back. The case is over either way: a failed step still gives the bot back. */
async function stepBack(
  deps: OutOfTurnDeps,
  ctx: TurnContext,
  input: { caseId: string; agentName?: string },
): Promise<void> {
  const turn = {
    conversationId: ctx.message.conversationId,
    customerId: ctx.customerId,
    channel: ctx.message.channel,
    locale: localeOf(deps, ctx),
    now: ctx.now,
  };
  const dialogInput = {
    type: 'handback' as const,
    caseId: input.caseId,
    ...(input.agentName ? { agentName: input.agentName } : {}),
  };
  try {
    const outcome = await deps.dialog.step(ctx.state.dialog, dialogInput, turn);
    ctx.state.dialog = outcome.state;
    if (outcome.escalation) ctx.log.warn({}, 'ignored an escalation from a hand-back step');
    for (const event of outcome.events) note(ctx, event.event, event.data);
    for (const reply of outcome.replies) say(ctx, reply);
  } catch (error) {
    ctx.log.error({ err: error, stage: 'decide' }, 'hand-back dialog step failed');
    note(ctx, 'dialog.error');
    const text = deps.messages?.text(localeOf(deps, ctx), 'handoff.backFallback');
    say(ctx, text ? { ...HANDBACK_FALLBACK, text } : HANDBACK_FALLBACK);
  }
}

/** Opens a case for out-of-turn escalation; an open case already has a person on it and keeps the lines. */
async function escalate(deps: OutOfTurnDeps, ctx: TurnContext, request: EscalationRequest): Promise<void> {
  if (ctx.state.caseId) {
    note(ctx, 'escalation.joined', { caseId: ctx.state.caseId, reason: request.reason });
    return;
  }
  if (!deps.handoff) throw new Error('escalate input needs a handoff port');
  ctx.escalation = request;
  await deps.handoff.escalate(ctx);
}

/** The conversation's language, else the bot's default. */
function localeOf(deps: OutOfTurnDeps, ctx: TurnContext): string {
  return ctx.state.locale ?? deps.defaultLocale ?? deps.messages?.defaultLocale ?? 'en';
}
