import type { AnalyticsEvent, TurnCompleted } from '../core/analytics';
import type { Case } from '../core/case';
import type { Middleware } from '../core/compose';
import { isSealedJson, type JsonObject, type JsonValue } from '../core/json';
import { OUT_OF_SCOPE } from '../core/nlu';
import type { Clock, Stores } from '../core/ports';
import type { TurnContext } from '../core/turn';
import type { AnalyticsRecorder } from './recorder';

export interface TurnAnalyticsDeps {
  recorder: AnalyticsRecorder;
  stores: Pick<Stores, 'cases'>;
  /**
   * The slots the conversation held before this turn (the dialog engine's `summarize`): called with the
   * dialog state the turn found, at most once, and for a sealed state only when the turn fills a slot.
   */
  slotsOf: (dialog: JsonValue | undefined) => JsonObject;
  clock: Clock;
  defaultLocale?: string;
}

/**
 * Two stage hooks that turn each customer turn into analytics events: `understand` notes the slots the
 * conversation already had, `record` (after the turn's work) emits `turn.completed`, `case.opened`,
 * `satisfaction` and `info.repeated`, and keeps the text of an unanswered message apart. Out-of-turn input
 * (agents' replies, hand-backs) is counted by the case service, which knows the agent: skipped here.
 *
 * @example
 * const hooks = turnAnalytics({ recorder, stores, slotsOf: (d) => dialog.summarize(d).slots, clock });
 * pipeline.use('understand', hooks.understand).use('record', hooks.record);
 */
export function turnAnalytics(deps: TurnAnalyticsDeps): {
  understand: Middleware<TurnContext>;
  record: Middleware<TurnContext>;
} {
  const before = new WeakMap<TurnContext, () => JsonObject>();
  return {
    understand: async (ctx, next) => {
      if (ctx.input.type === 'message') before.set(ctx, slotsAsFound(deps.slotsOf, ctx.state.dialog));
      await next();
    },
    record: async (ctx, next) => {
      await next();
      if (ctx.input.type !== 'message') return;
      const events = await turnEvents(deps, ctx, before.get(ctx) ?? (() => ({})));
      await deps.recorder.emit(...events);
      const question = unanswered(ctx, events[0] as TurnCompleted);
      if (question) await deps.recorder.question(question, ctx.customerId);
    },
  };
}

async function turnEvents(
  deps: TurnAnalyticsDeps,
  ctx: TurnContext,
  slotsBefore: () => JsonObject,
): Promise<AnalyticsEvent[]> {
  // Runs on every message: one pass over the turn's lines, no intermediate arrays. Key order matches the
  // schema's, as the stored JSON keeps it.
  const { conversationId, channel } = ctx.message;
  const { customerId, now: at } = ctx;
  let escalation: JsonObject | undefined;
  let fallback = false;
  const noted: AnalyticsEvent[] = [];
  for (const entry of ctx.entries) {
    const event = entry.event;
    if (!event) continue;
    const data = entry.data ?? {};
    if (event === 'escalated') escalation ??= data;
    else if (event === 'fallback') fallback = true;
    else if (event === 'satisfaction' && typeof data['satisfied'] === 'boolean') {
      const score = data['satisfied'] ? 1 : 0;
      const answered = data['caseId'];
      noted.push(
        typeof answered === 'string'
          ? { at, conversationId, customerId, channel, type: 'satisfaction', score, caseId: answered }
          : { at, conversationId, customerId, channel, type: 'satisfaction', score },
      );
    }
    const slot = data['slot'];
    if (event === 'slot.filled' && typeof slot === 'string' && sameValue(slotsBefore()[slot], data['value']))
      noted.push({
        at,
        conversationId,
        customerId,
        channel,
        type: 'info.repeated',
        slot,
        afterHandoff: false,
      });
  }
  const intent = ctx.nlu?.intent;
  const outcome = {
    locale: ctx.state.locale ?? ctx.nlu?.locale ?? deps.defaultLocale ?? 'en',
    fallback,
    outOfScope: intent?.name === OUT_OF_SCOPE,
    escalated: escalation !== undefined,
    toAgent: ctx.routedToCase,
    durationMs: Math.max(0, deps.clock.now() - at),
  };
  const turn: TurnCompleted = intent
    ? {
        at,
        conversationId,
        customerId,
        channel,
        type: 'turn.completed',
        intent: intent.name,
        confidence: intent.confidence,
        ...outcome,
      }
    : { at, conversationId, customerId, channel, type: 'turn.completed', ...outcome };
  const out: AnalyticsEvent[] = [turn];
  const caseId = escalation?.['caseId'];
  const opened = typeof caseId === 'string' ? await deps.stores.cases.get(caseId) : undefined;
  if (opened)
    out.push({
      at,
      conversationId,
      customerId,
      channel,
      type: 'case.opened',
      caseId: opened.id,
      queue: opened.queue,
      reason: opened.package.reason,
    });
  for (const event of noted) out.push(event);
  if (ctx.routedToCase && ctx.state.caseId && ctx.message.text) {
    const item = await deps.stores.cases.get(ctx.state.caseId);
    for (const slot of item ? repeatedToAgent(item, ctx.message.text) : []) {
      out.push({ at, conversationId, customerId, channel, type: 'info.repeated', slot, afterHandoff: true });
    }
  }
  return out;
}

/**
 * The slots the conversation held when the turn began. A sealed state is frozen, so it is summarised only
 * when the turn fills a slot (most turns do not); any other state may still change, so it is read now.
 */
function slotsAsFound(
  slotsOf: TurnAnalyticsDeps['slotsOf'],
  dialog: JsonValue | undefined,
): () => JsonObject {
  if (typeof dialog === 'object' && dialog !== null && !isSealedJson(dialog)) {
    const slots = slotsOf(dialog);
    return () => slots;
  }
  let slots: JsonObject | undefined;
  return () => (slots ??= slotsOf(dialog));
}

function sameValue(a: JsonValue | undefined, b: JsonValue | undefined): boolean {
  if (typeof a === 'string' && typeof b === 'string') return a === b;
  return a !== undefined && b !== undefined && JSON.stringify(a) === JSON.stringify(b);
}

const normalise = (text: string) => text.toLowerCase().replace(/[\s-]+/g, '');

/** Slots of the handoff package whose value the customer's message to the agent repeats. */
export function repeatedToAgent(item: Case, text: string): string[] {
  const said = normalise(text);
  return Object.entries(item.package.summary.slots)
    .filter(([, value]) => typeof value === 'string' || typeof value === 'number')
    .map(([slot, value]) => [slot, normalise(String(value))] as const)
    .filter(([, value]) => value.length >= 3 && said.includes(value))
    .map(([slot]) => slot);
}

function unanswered(ctx: TurnContext, turn: TurnCompleted) {
  const text = ctx.message.text;
  if (!text || ctx.routedToCase || !(turn.outOfScope || turn.fallback)) return undefined;
  return {
    at: turn.at,
    conversationId: turn.conversationId,
    channel: turn.channel,
    locale: turn.locale,
    kind: turn.outOfScope ? ('out_of_scope' as const) : ('fallback' as const),
    intent: turn.intent ?? OUT_OF_SCOPE,
    text: text.slice(0, 2000),
  };
}
