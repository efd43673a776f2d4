import type { AnalyticsEvent, TurnCompleted } from '../core/analytics';
import type { Case } from '../core/case';
import type { Middleware } from '../core/compose';
import type { JsonObject, JsonValue } from '../core/json';
import { OUT_OF_SCOPE } from '../core/nlu';
import type { Clock, Stores } from '../core/ports';
import type { TurnContext } from '../core/turn';
import type { AnalyticsRecorder } from './recorder';

export interface TurnAnalyticsDeps {
  recorder: AnalyticsRecorder;
  stores: Pick<Stores, 'cases'>;
  /** The slots the conversation held before this turn (the dialog engine's `summarize`). */
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
  const before = new WeakMap<TurnContext, JsonObject>();
  return {
    understand: async (ctx, next) => {
      if (ctx.input.type === 'message') before.set(ctx, deps.slotsOf(ctx.state.dialog));
      await next();
    },
    record: async (ctx, next) => {
      await next();
      if (ctx.input.type !== 'message') return;
      const events = await turnEvents(deps, ctx, before.get(ctx) ?? {});
      await deps.recorder.emit(...events);
      const question = unanswered(ctx, events[0] as TurnCompleted);
      if (question) await deps.recorder.question(question, ctx.customerId);
    },
  };
}

async function turnEvents(
  deps: TurnAnalyticsDeps,
  ctx: TurnContext,
  slotsBefore: JsonObject,
): Promise<AnalyticsEvent[]> {
  const base = {
    at: ctx.now,
    conversationId: ctx.message.conversationId,
    customerId: ctx.customerId,
    channel: ctx.message.channel,
  };
  const events = ctx.entries.flatMap((e) => (e.event ? [{ event: e.event, data: e.data ?? {} }] : []));
  const escalation = events.find((e) => e.event === 'escalated');
  const turn: TurnCompleted = {
    ...base,
    type: 'turn.completed',
    ...(ctx.nlu ? { intent: ctx.nlu.intent.name, confidence: ctx.nlu.intent.confidence } : {}),
    locale: ctx.state.locale ?? ctx.nlu?.locale ?? deps.defaultLocale ?? 'en',
    fallback: events.some((e) => e.event === 'fallback'),
    outOfScope: ctx.nlu?.intent.name === OUT_OF_SCOPE,
    escalated: escalation !== undefined,
    toAgent: ctx.routedToCase,
    durationMs: Math.max(0, deps.clock.now() - ctx.now),
  };
  const out: AnalyticsEvent[] = [turn];
  const caseId = escalation?.data['caseId'];
  const opened = typeof caseId === 'string' ? await deps.stores.cases.get(caseId) : undefined;
  if (opened)
    out.push({
      ...base,
      type: 'case.opened',
      caseId: opened.id,
      queue: opened.queue,
      reason: opened.package.reason,
    });
  for (const e of events) {
    if (e.event === 'satisfaction' && typeof e.data['satisfied'] === 'boolean') {
      const answered = e.data['caseId'];
      out.push({
        ...base,
        type: 'satisfaction',
        score: e.data['satisfied'] ? 1 : 0,
        ...(typeof answered === 'string' ? { caseId: answered } : {}),
      });
    }
    const slot = e.data['slot'];
    if (
      e.event === 'slot.filled' &&
      typeof slot === 'string' &&
      sameValue(slotsBefore[slot], e.data['value'])
    ) {
      out.push({ ...base, type: 'info.repeated', slot, afterHandoff: false });
    }
  }
  if (ctx.routedToCase && ctx.state.caseId && ctx.message.text) {
    const item = await deps.stores.cases.get(ctx.state.caseId);
    for (const slot of item ? repeatedToAgent(item, ctx.message.text) : []) {
      out.push({ ...base, type: 'info.repeated', slot, afterHandoff: true });
    }
  }
  return out;
}

function sameValue(a: JsonValue | undefined, b: JsonValue | undefined): boolean {
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
