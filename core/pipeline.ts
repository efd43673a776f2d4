import { compose, type Middleware } from './compose';
import type { DialogEngine, DialogInput } from './dialog';
import { STAGES, TurnError, type StageName } from './errors';
import type { Message, Reply } from './message';
import { OUT_OF_SCOPE, type NluParser, type NluResult } from './nlu';
import type { Clock, Logger, Stores } from './ports';
import { note, say, type TurnContext } from './turn';

/** Removes data that must never be stored (card numbers, CVVs) from text a customer typed. */
export type Redactor = (text: string) => { text: string; redactions: string[] };

/** Redacts every customer-controlled string of a message (ids, metadata, speech too); drops `raw`. */
export type MessageRedactor = (message: Message) => { message: Message; redactions: string[] };

/** The handoff side of a turn: open cases take the customer's messages; escalations open cases. */
export interface HandoffPort {
  /** Returns true when the conversation has an open case and the message went to it. */
  route(ctx: TurnContext): Promise<boolean>;
  /** Opens a case for `ctx.escalation`, says so to the customer and sets `ctx.state.caseId`. */
  escalate(ctx: TurnContext): Promise<void>;
}

export interface PipelineDeps {
  stores: Pick<Stores, 'conversations' | 'turns' | 'processed' | 'transcripts'>;
  nlu: NluParser;
  dialog: DialogEngine;
  handoff: HandoffPort;
  redact: Redactor;
  /** The whole-message redactor; without one only `text` and `label` go through `redact`. */
  redactMessage?: MessageRedactor;
  clock: Clock;
  logger: Logger;
  defaultLocale?: string;
}

export const APOLOGY: Reply = {
  from: 'bot',
  text: 'Sorry, something went wrong on our side. Please try again in a moment.',
};

/** A button payload such as `/order_status` or `/book_appointment{"time_window":"morning"}`. */
const PAYLOAD = /^\/([A-Za-z_][\w.-]*)(\{.*\})?$/s;

/**
 * The turn pipeline: receive → identify → route → understand → decide → respond → record. Turns of one
 * conversation run one at a time in arrival order; a message id already processed is answered from the
 * record. Extensions hook a stage with `use(stage, middleware)`; a hook that does not call `next()`
 * replaces the built-in work of that stage.
 */
export class Pipeline {
  private readonly hooks = new Map<StageName, Middleware<TurnContext>[]>();

  constructor(private readonly deps: PipelineDeps) {}

  use(stage: StageName, middleware: Middleware<TurnContext>): this {
    this.hooks.set(stage, [...(this.hooks.get(stage) ?? []), middleware]);
    return this;
  }

  async handle(incoming: Message): Promise<Reply[]> {
    const { stores } = this.deps;
    const { message, redactions } = this.receive(incoming);
    return stores.turns.run(message.conversationId, async () => {
      const seen = await stores.processed.get(message.conversationId, message.messageId);
      if (seen) return seen;
      const ctx = this.newContext(message);
      if (redactions.length) note(ctx, 'redacted', { kinds: redactions });
      const completed = await this.runStages(ctx);
      // A failed turn is not remembered: the channel's retry gets a fresh attempt.
      if (completed) await stores.processed.put(message.conversationId, message.messageId, ctx.replies);
      return ctx.replies;
    });
  }

  /** Redacts before anything else sees the message (its ids included), and drops the raw payload. */
  private receive(incoming: Message): { message: Message; redactions: string[] } {
    if (this.deps.redactMessage) return this.deps.redactMessage(incoming);
    const { raw: _raw, ...message } = incoming;
    const redactions: string[] = [];
    for (const field of ['text', 'label'] as const) {
      const value = message[field];
      if (value === undefined) continue;
      const cleaned = this.deps.redact(value);
      message[field] = cleaned.text;
      redactions.push(...cleaned.redactions);
    }
    return { message, redactions: [...new Set(redactions)] };
  }

  private newContext(message: Message): TurnContext {
    const now = this.deps.clock.now();
    return {
      message,
      now,
      log: this.deps.logger.child({ conversationId: message.conversationId, messageId: message.messageId }),
      customerId: `${message.channel}:${message.channelUserId}`,
      state: { conversationId: message.conversationId, customerId: '', updatedAt: now },
      replies: [],
      entries: [],
      routedToCase: false,
    };
  }

  /** Returns false when a stage failed and the customer got the apology instead. */
  private async runStages(ctx: TurnContext): Promise<boolean> {
    const builtIn: Record<StageName, (ctx: TurnContext) => Promise<void>> = {
      receive: async (c) => this.recordInbound(c),
      identify: async (c) => this.identify(c),
      route: async (c) => {
        c.routedToCase = await this.deps.handoff.route(c);
      },
      understand: async (c) => this.understand(c),
      decide: async (c) => this.decide(c),
      respond: async (c) => this.persist(c),
      record: async (c) => this.record(c),
    };
    for (const stage of STAGES) {
      const run = compose([...(this.hooks.get(stage) ?? []), (c: TurnContext) => builtIn[stage](c)]);
      try {
        await run(ctx);
      } catch (cause) {
        return this.fail(ctx, new TurnError(stage, ctx.message.conversationId, cause));
      }
    }
    return true;
  }

  private recordInbound(ctx: TurnContext): void {
    const { message } = ctx;
    ctx.entries.push({
      at: message.timestamp,
      speaker: 'customer',
      channel: message.channel,
      messageId: message.messageId,
      ...(message.text !== undefined ? { text: message.text } : {}),
      ...(message.kind !== 'text' ? { event: message.event ?? message.kind } : {}),
      ...(message.label !== undefined ? { data: { label: message.label } } : {}),
    });
  }

  private async identify(ctx: TurnContext): Promise<void> {
    const stored = await this.deps.stores.conversations.get(ctx.message.conversationId);
    ctx.state = stored ?? { ...ctx.state, customerId: ctx.customerId };
    ctx.customerId = ctx.state.customerId;
    // Already in the transcript (recorded when sent); they only still have to reach the customer.
    if (ctx.state.pending?.length) {
      ctx.replies.push(...ctx.state.pending);
      delete ctx.state.pending;
    }
  }

  private async understand(ctx: TurnContext): Promise<void> {
    const text = ctx.message.text;
    if (ctx.routedToCase || text === undefined) return;
    const locale = ctx.message.locale ?? ctx.state.locale ?? this.deps.defaultLocale;
    ctx.nlu =
      parsePayload(text, locale) ?? (await this.deps.nlu.parse(text, { locale, now: new Date(ctx.now) }));
    ctx.state.locale = ctx.nlu.locale;
    const inbound = ctx.entries.find((e) => e.speaker === 'customer');
    if (inbound)
      Object.assign(inbound, { intent: ctx.nlu.intent.name, confidence: ctx.nlu.intent.confidence });
  }

  private async decide(ctx: TurnContext): Promise<void> {
    if (ctx.routedToCase) return;
    const input = dialogInput(ctx);
    if (!input) return;
    const turn = {
      conversationId: ctx.message.conversationId,
      customerId: ctx.customerId,
      channel: ctx.message.channel,
      locale: ctx.state.locale ?? this.deps.defaultLocale ?? 'en',
      now: ctx.now,
    };
    const outcome = await this.deps.dialog.step(ctx.state.dialog, input, turn);
    ctx.state.dialog = outcome.state;
    for (const event of outcome.events) note(ctx, event.event, event.data);
    for (const reply of outcome.replies) say(ctx, reply);
    if (outcome.escalation) {
      ctx.escalation = outcome.escalation;
      await this.deps.handoff.escalate(ctx);
    }
  }

  private async persist(ctx: TurnContext): Promise<void> {
    ctx.state.updatedAt = ctx.now;
    ctx.state.channel = ctx.message.channel;
    ctx.state.channelUserId = ctx.message.channelUserId;
    await this.deps.stores.conversations.put(ctx.state);
  }

  private async record(ctx: TurnContext): Promise<void> {
    await this.deps.stores.transcripts.append(ctx.message.conversationId, ctx.entries);
  }

  /**
   * The one place turn errors are caught: a neutral apology for the customer, the detail for the log.
   * A failed transcript write is logged loudly but does not take back replies already decided.
   */
  private async fail(ctx: TurnContext, error: TurnError): Promise<boolean> {
    ctx.log.error({ stage: error.stage, err: error.cause }, error.message);
    if (error.stage === 'record') return true;
    ctx.replies = [];
    say(ctx, APOLOGY);
    note(ctx, 'turn.failed', { stage: error.stage });
    try {
      await this.record(ctx);
    } catch (cause) {
      ctx.log.error({ stage: 'record', err: cause }, 'transcript write failed after a turn error');
    }
    return false;
  }
}

function dialogInput(ctx: TurnContext): DialogInput | undefined {
  if (ctx.message.kind === 'launch') return { type: 'launch' };
  if (ctx.nlu && ctx.message.text !== undefined)
    return { type: 'user', text: ctx.message.text, nlu: ctx.nlu };
  return undefined;
}

/** Turns a quick-reply payload into a certain NLU result, as Rasa does for `/intent{...}`. */
export function parsePayload(text: string, locale = 'en'): NluResult | undefined {
  const match = PAYLOAD.exec(text.trim());
  if (!match) return undefined;
  const name = match[1] ?? OUT_OF_SCOPE;
  let entities: NluResult['entities'] = [];
  if (match[2]) {
    try {
      const values = JSON.parse(match[2]) as Record<string, unknown>;
      entities = Object.entries(values)
        .filter((pair): pair is [string, string | number | boolean] =>
          ['string', 'number', 'boolean'].includes(typeof pair[1]),
        )
        .map(([entity, value]) => ({
          entity,
          value,
          text: String(value),
          start: 0,
          end: 0,
          extractor: 'payload',
        }));
    } catch {
      return undefined;
    }
  }
  const intent = { name, confidence: 1 };
  return { text, intent, intent_ranking: [intent], entities, locale };
}
