import { compose, type Middleware } from './compose';
import type { DialogEngine, DialogInput, DialogOutcome } from './dialog';
import { ConversationNotFoundError, STAGES, TurnError, type StageName } from './errors';
import { chooseLocale } from './locale';
import { storeUnavailable } from './store-unavailable';
import type { Message, Reply } from './message';
import type { MessageCatalogue } from './messages';
import { OUT_OF_SCOPE, type NluParser, type NluResult } from './nlu';
import { currentAddress, outOfTurnMessage, outOfTurnStages, redactInput } from './out-of-turn';
import type { ChannelAddress, Clock, Logger, Outbox, ResolvedCustomer, Stores, TurnCommit } from './ports';
import type { TranscriptEntry } from './transcript';
import { note, say, type OutOfTurnInput, type TurnContext, type TurnInput } from './turn';

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
  stores: Pick<Stores, 'conversations' | 'identities' | 'turns' | 'processed' | 'transcripts' | 'commits'>;
  /** Where out-of-turn replies go (a live session, a callback, held for the next request). */
  outbox: Pick<Outbox, 'send'>;
  nlu: NluParser;
  dialog: DialogEngine;
  handoff: HandoffPort;
  redact: Redactor;
  /** The whole-message redactor; without one only `text` and `label` go through `redact`. */
  redactMessage?: MessageRedactor;
  clock: Clock;
  logger: Logger;
  defaultLocale?: string;
  /** The framework's sentences per locale (`locales/`); the English APOLOGY without it. */
  messages?: MessageCatalogue;
}

type BuiltIn = (ctx: TurnContext) => Promise<void>;

/** Said when a turn fails: the catalogue's `apology` in the conversation's language, when one is given. */
export const APOLOGY: Reply = {
  from: 'bot',
  text: 'Sorry, something went wrong on our side. Please try again in a moment.',
};

/** What the transcript holds instead of input a channel marked `metadata.sensitive` (card details). */
export const WITHHELD = '[withheld: card details]';

/** A button payload such as `/order_status` or `/book_appointment{"time_window":"morning"}`. */
const PAYLOAD = /^\/([A-Za-z_][\w.-]*)(\{.*\})?$/s;

/**
 * The turn pipeline: receive → identify → route → understand → decide → respond → record. Every line that
 * enters a conversation goes through it: a customer's message (`handle`) and input from outside it, such as
 * an agent's reply, a note or a hand-back (`apply`). The customer and their conversation are resolved first
 * (identity port); then turns of that conversation run one at a time in arrival order, and a message id
 * already processed is answered from the record. Extensions hook a stage with `use(stage, middleware)`; a
 * hook that does not call `next()` replaces the built-in work of that stage. `ctx.input.type` tells a
 * customer's message (`message`) from out-of-turn input.
 */
export class Pipeline {
  private readonly hooks = new Map<StageName, Middleware<TurnContext>[]>();
  private readonly outOfTurn: Partial<Record<StageName, BuiltIn>>;

  constructor(private readonly deps: PipelineDeps) {
    this.outOfTurn = outOfTurnStages(deps);
  }

  use(stage: StageName, middleware: Middleware<TurnContext>): this {
    this.hooks.set(stage, [...(this.hooks.get(stage) ?? []), middleware]);
    return this;
  }

  /**
   * One customer message: resolves who wrote and their conversation, takes its place in the conversation's
   * queue at once (no other await comes first, so turns keep arrival order), then runs the turn under its
   * lock and commits everything it wrote in one step.
   */
  async handle(incoming: Message): Promise<Reply[]> {
    const { turns } = this.deps.stores;
    const { message: received, redactions } = this.receive(incoming);
    // Linked channels share a conversation, and each numbers its own messages.
    const dedupeId = `${received.channel}:${received.messageId}`;
    const order = { dedupeId, ...(received.sequence !== undefined ? { sequence: received.sequence } : {}) };
    const turn = async (who: ResolvedCustomer): Promise<Reply[]> => {
      const message = { ...received, conversationId: who.conversationId };
      const seen = await this.deps.stores.processed.get(who.conversationId, dedupeId);
      if (seen) return seen;
      const ctx = this.newContext(message, { type: 'message' }, who.customerId, received.conversationId);
      if (redactions.length) note(ctx, 'redacted', { kinds: redactions });
      const error = await this.runStages(ctx);
      // A store that did not answer is no bug in the flow: no apology and nothing recorded as processed;
      // the connector answers its channel's "try again", and the retry with the same id runs afresh.
      const outage = storeUnavailable(error);
      if (outage) throw outage;
      // A failed turn is not remembered: the channel's retry gets a fresh attempt.
      if (error && !(await this.fail(ctx, error))) return ctx.replies;
      await this.commit(ctx, { messageId: dedupeId, replies: ctx.replies });
      return ctx.replies;
    };
    const { address, hint } = identityOf(received);
    // A store that can resolves the customer with the turn's first round trip.
    if (turns.runFor) return turns.runFor(address, hint, turn, order);
    const who = await this.deps.stores.identities.resolve(address, hint);
    return turns.run(who.conversationId, () => turn(who), order);
  }

  /**
   * Input from outside the customer's messages (an agent's reply, a note, a hand-back, a release), run
   * through the same stages in the conversation's turn order. Replies go out through the outbox to
   * wherever the customer can be reached now. Resolves the transcript lines written; a failing stage
   * rejects (the caller, e.g. the agent desk, reports it) instead of apologising to the customer.
   */
  async apply(conversationId: string, raw: OutOfTurnInput): Promise<TranscriptEntry[]> {
    const { stores } = this.deps;
    const input = redactInput(raw, this.deps.redact);
    return stores.turns.run(conversationId, async () => {
      const state = await stores.conversations.get(conversationId);
      const address = state && (await currentAddress(stores.transcripts, state));
      if (!state || !address) throw new ConversationNotFoundError(conversationId);
      const now = this.deps.clock.now();
      const message = outOfTurnMessage(conversationId, address, input, now);
      const ctx = this.newContext(message, input, state.customerId, state.session ?? conversationId);
      ctx.state = state;
      const error = await this.runStages(ctx);
      if (error && error.stage !== 'record') {
        ctx.log.error({ stage: error.stage, err: error.cause }, error.message);
        throw error.cause;
      }
      if (error) ctx.log.error({ stage: error.stage, err: error.cause }, error.message);
      await this.commit(ctx);
      return ctx.entries;
    });
  }

  /**
   * The turn's one write: state, lines, dedupe record (and, on Redis, the lock's release) together. A
   * failed commit wrote nothing: the turn rejects, and the channel's retry of the message is safe.
   */
  private async commit(ctx: TurnContext, processed?: TurnCommit['processed']): Promise<void> {
    try {
      await this.deps.stores.commits.commit({
        conversationId: ctx.message.conversationId,
        state: ctx.state,
        entries: ctx.entries,
        ...(processed ? { processed } : {}),
      });
    } catch (cause) {
      ctx.log.error({ stage: 'record', err: cause }, 'turn commit failed; nothing was written');
      throw cause;
    }
  }

  /**
   * Redacts before anything else sees the message (its ids included), and drops the raw payload. A spoken
   * message is understood from its (redacted) transcript.
   */
  private receive(incoming: Message): { message: Message; redactions: string[] } {
    const received = this.redactMessage(incoming);
    const { message } = received;
    if (message.kind === 'speech' && message.text === undefined && message.speech) {
      message.text = message.speech.transcript;
    }
    return received;
  }

  private redactMessage(incoming: Message): { message: Message; redactions: string[] } {
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
    if (message.speech) {
      const cleaned = this.deps.redact(message.speech.transcript);
      message.speech = { ...message.speech, transcript: cleaned.text };
      redactions.push(...cleaned.redactions);
    }
    return { message, redactions: [...new Set(redactions)] };
  }

  private newContext(message: Message, input: TurnInput, customerId: string, session: string): TurnContext {
    const now = this.deps.clock.now();
    const about = input.type === 'message' ? { messageId: message.messageId } : { input: input.type };
    return {
      input,
      message,
      session,
      now,
      log: this.deps.logger.child({ conversationId: message.conversationId, ...about }),
      customerId,
      state: { conversationId: message.conversationId, customerId, updatedAt: now },
      replies: [],
      entries: [],
      routedToCase: false,
    };
  }

  /** Runs each stage's hooks, then its built-in work; returns the error of the stage that failed, if any. */
  private async runStages(ctx: TurnContext): Promise<TurnError | undefined> {
    const customer: Record<StageName, BuiltIn> = {
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
    const builtIn = ctx.input.type === 'message' ? customer : { ...this.outOfTurn, record: customer.record };
    for (const stage of STAGES) {
      const own = builtIn[stage];
      const run = compose([...(this.hooks.get(stage) ?? []), async (c: TurnContext) => own?.(c)]);
      try {
        await run(ctx);
      } catch (cause) {
        return new TurnError(stage, ctx.message.conversationId, cause);
      }
    }
    return undefined;
  }

  private recordInbound(ctx: TurnContext): void {
    const { message } = ctx;
    // A channel marks input given while card details are asked: the flow sees it, the transcript does not.
    const withheld = message.metadata?.['sensitive'] === true;
    const data = {
      ...(message.label !== undefined && !withheld ? { label: message.label } : {}),
      ...(message.speech ? { speechConfidence: message.speech.confidence } : {}),
      ...(withheld ? { withheld: true } : {}),
    };
    ctx.entries.push({
      at: message.timestamp,
      speaker: 'customer',
      channel: message.channel,
      messageId: message.messageId,
      ...(message.text !== undefined ? { text: withheld ? WITHHELD : message.text } : {}),
      ...(message.kind !== 'text' ? { event: message.event ?? message.kind } : {}),
      ...(Object.keys(data).length > 0 ? { data } : {}),
    });
  }

  /** The customer and conversation are already resolved (before the lock): load the conversation's state. */
  private async identify(ctx: TurnContext): Promise<void> {
    const stored = await this.deps.stores.conversations.get(ctx.message.conversationId);
    if (stored) ctx.state = { ...stored, customerId: ctx.customerId };
    // Already in the transcript (recorded when sent); they only still have to reach the customer.
    if (ctx.state.pending?.length) {
      ctx.replies.push(...ctx.state.pending);
      delete ctx.state.pending;
    }
  }

  private async understand(ctx: TurnContext): Promise<void> {
    const text = ctx.message.text;
    // The NLU chooses the language (core/locale.ts); a button payload or a launch keeps the conversation's
    // unless the channel states one.
    const { locale: stated } = ctx.message;
    const [current, fallback] = [ctx.state.locale, this.deps.defaultLocale ?? 'en'];
    if (!ctx.routedToCase && text === undefined && stated)
      ctx.state.locale = chooseLocale({ stated, current, fallback });
    if (ctx.routedToCase || text === undefined) return;
    ctx.nlu =
      parsePayload(text, chooseLocale({ stated, current, fallback })) ??
      (await this.deps.nlu.parse(text, { locale: stated, current, fallback, now: new Date(ctx.now) }));
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
      channelUserId: ctx.message.channelUserId,
      locale: ctx.state.locale ?? this.deps.defaultLocale ?? 'en',
      now: ctx.now,
    };
    const outcome = await this.deps.dialog.step(ctx.state.dialog, input, turn);
    ctx.state.dialog = outcome.state;
    for (const event of outcome.events) note(ctx, event.event, event.data);
    for (const reply of outcome.replies) say(ctx, reply);
    if (outcome.masked) maskEntries(ctx, outcome.masked);
    if (outcome.escalation) {
      ctx.escalation = outcome.escalation;
      await this.deps.handoff.escalate(ctx);
    }
  }

  /** Stamps the state the commit will write; hooks on `respond` and `record` still see it and the lines. */
  private async persist(ctx: TurnContext): Promise<void> {
    ctx.state.updatedAt = ctx.now;
    ctx.state.channel = ctx.message.channel;
    ctx.state.channelUserId = ctx.message.channelUserId;
    ctx.state.session = ctx.session;
  }

  /** Nothing of its own: the lines are written with the rest of the turn once every stage has run. */
  private async record(_ctx: TurnContext): Promise<void> {}

  /**
   * The one place turn errors are caught: a neutral apology for the customer, the detail for the log.
   * Resolves true when the turn still counts as done (only a `record` hook failed: the commit goes ahead);
   * otherwise the apology and the failure are written without the state or the dedupe record, so the
   * dialog did not move and the channel's retry gets a fresh attempt.
   */
  private async fail(ctx: TurnContext, error: TurnError): Promise<boolean> {
    ctx.log.error({ stage: error.stage, err: error.cause }, error.message);
    if (error.stage === 'record') return true;
    ctx.replies = [];
    const locale = ctx.state.locale ?? this.deps.defaultLocale;
    say(ctx, this.deps.messages ? { ...APOLOGY, text: this.deps.messages.text(locale, 'apology') } : APOLOGY);
    note(ctx, 'turn.failed', { stage: error.stage });
    try {
      await this.deps.stores.commits.commit({
        conversationId: ctx.message.conversationId,
        entries: ctx.entries,
      });
    } catch (cause) {
      ctx.log.error({ stage: 'record', err: cause }, 'transcript write failed after a turn error');
    }
    return false;
  }
}

/** The address a message came from, and the customer and conversation its connector's ids would start. */
function identityOf(message: Message): { address: ChannelAddress; hint: ResolvedCustomer } {
  const address = { channel: message.channel, userId: message.channelUserId };
  const hint = {
    customerId: `${message.channel}:${message.channelUserId}`,
    conversationId: message.conversationId,
  };
  return { address, hint };
}

function dialogInput(ctx: TurnContext): DialogInput | undefined {
  if (ctx.message.kind === 'launch') return { type: 'launch' };
  if (ctx.message.kind === 'event' && ctx.message.toFlows && ctx.message.event)
    return { type: 'event', name: ctx.message.event, data: ctx.message.metadata ?? {} };
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

/** A `masked` slot's values, as the customer wrote them, replaced in this turn's lines (text and label). */
function maskEntries(ctx: TurnContext, pairs: NonNullable<DialogOutcome['masked']>): void {
  const mask = (text: string) => pairs.reduce((out, p) => out.split(p.value).join(p.masked), text);
  for (const entry of ctx.entries) {
    if (entry.text !== undefined) entry.text = mask(entry.text);
    const label = entry.data?.['label'];
    if (typeof label === 'string') entry.data = { ...entry.data, label: mask(label) };
  }
}
