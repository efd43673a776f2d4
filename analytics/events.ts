import { z } from 'zod';
import type { AnalyticsEvent, UnansweredQuestion } from '../core/analytics';
import { ESCALATION_REASONS } from '../core/case';

const name = z.string().min(1).max(200);
const base = {
  at: z.number().int().nonnegative(),
  conversationId: name,
  customerId: name,
  channel: name,
};
const caseBase = { ...base, caseId: name, queue: name };
const millis = z.number().nonnegative();

/** Every analytics event, validated before it is stored (`analytics/recorder.ts`). */
export const analyticsEventSchema = z.discriminatedUnion('type', [
  z.strictObject({
    ...base,
    type: z.literal('turn.completed'),
    intent: name.optional(),
    confidence: z.number().min(0).max(1).optional(),
    locale: name,
    fallback: z.boolean(),
    outOfScope: z.boolean(),
    escalated: z.boolean(),
    toAgent: z.boolean(),
    durationMs: millis,
  }),
  z.strictObject({ ...caseBase, type: z.literal('case.opened'), reason: z.enum(ESCALATION_REASONS) }),
  z.strictObject({ ...caseBase, type: z.literal('case.claimed'), agent: name, waitMs: millis }),
  z.strictObject({ ...caseBase, type: z.literal('agent.replied'), agent: name }),
  z.strictObject({
    ...caseBase,
    type: z.literal('case.transferred'),
    agent: name,
    to: z.strictObject({ kind: z.enum(['queue', 'agent']), id: name }),
  }),
  z.strictObject({ ...caseBase, type: z.enum(['case.resolved', 'case.closed']), agent: name }),
  z.strictObject({
    ...base,
    type: z.literal('satisfaction'),
    caseId: name.optional(),
    score: z.number().min(0).max(1),
  }),
  z.strictObject({ ...base, type: z.literal('info.repeated'), slot: name, afterHandoff: z.boolean() }),
]);

const TURN_FIELDS: ReadonlySet<string> = new Set([
  'at',
  'conversationId',
  'customerId',
  'channel',
  'type',
  'intent',
  'confidence',
  'locale',
  'fallback',
  'outOfScope',
  'escalated',
  'toAgent',
  'durationMs',
]);
const isName = (value: unknown): boolean =>
  typeof value === 'string' && value.length >= 1 && value.length <= 200;
const isMillis = (value: unknown): boolean =>
  typeof value === 'number' && Number.isFinite(value) && value >= 0;
const isFlag = (value: unknown): boolean => typeof value === 'boolean';

/**
 * A plain-code check of `turn.completed`, the event of every customer message, so the hot path skips the
 * zod union. It may reject what the schema accepts (the recorder then asks the schema), never the other
 * way round: keep it at least as strict as the schema above when that changes (`events.test.ts` compares).
 */
export function isWellFormedTurn(event: AnalyticsEvent): boolean {
  if (event.type !== 'turn.completed' || Object.getPrototypeOf(event) !== Object.prototype) return false;
  for (const key in event) if (!TURN_FIELDS.has(key)) return false;
  const { at, intent, confidence } = event;
  return (
    Number.isSafeInteger(at) &&
    at >= 0 &&
    isName(event.conversationId) &&
    isName(event.customerId) &&
    isName(event.channel) &&
    isName(event.locale) &&
    (!('intent' in event) || isName(intent)) &&
    (!('confidence' in event) || (isMillis(confidence) && (confidence as number) <= 1)) &&
    isFlag(event.fallback) &&
    isFlag(event.outOfScope) &&
    isFlag(event.escalated) &&
    isFlag(event.toAgent) &&
    isMillis(event.durationMs)
  );
}

export const unansweredQuestionSchema = z.strictObject({
  at: z.number().int().nonnegative(),
  conversationId: name,
  channel: name,
  locale: name,
  kind: z.enum(['out_of_scope', 'fallback']),
  intent: name,
  text: z.string().max(2000),
});

// The schema and the core types describe the same thing: a drift fails type-checking here.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const eventsAgree: Same<z.infer<typeof analyticsEventSchema>, AnalyticsEvent> = true;
const questionsAgree: Same<z.infer<typeof unansweredQuestionSchema>, UnansweredQuestion> = true;
void eventsAgree;
void questionsAgree;

export function parseAnalyticsEvent(input: unknown): AnalyticsEvent {
  return analyticsEventSchema.parse(input);
}
