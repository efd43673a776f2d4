import type { EscalationReason, EscalationRequest } from '../../core/case';
import type { Middleware } from '../../core/compose';
import type { HandoffPort } from '../../core/pipeline';
import { note, type TurnContext } from '../../core/turn';

/** What an intent escalates with: a reason, or a full request (queue, priority, detail). */
export type IntentRule = EscalationReason | EscalationRequest;

export interface IntentTriggerOptions {
  handoff: Pick<HandoffPort, 'escalate'>;
  /** Intent name → why it goes to a person, e.g. `{ cancel_service: 'policy', complaint: 'complaint' }`. */
  intents: Record<string, IntentRule>;
  /** Below this NLU confidence the bot's own step decides instead (default 0.7). */
  minConfidence?: number;
}

/**
 * A `decide`-stage hook for intents that always go to a person: a policy (cancelling a contract must be
 * handled by staff), a complaint, or an explicit request for a human. It escalates before the bot's step
 * and skips it. Leave out intents your flows already handle (the dialog engine offers a person on
 * `human_agent` and after repeated misunderstanding by itself).
 *
 * @example
 * runtime.pipeline.use('decide', createIntentTrigger({
 *   handoff,
 *   intents: { cancel_service: { reason: 'policy', queue: 'retention' }, complaint: 'complaint' },
 * }));
 */
export function createIntentTrigger(options: IntentTriggerOptions): Middleware<TurnContext> {
  const minConfidence = options.minConfidence ?? 0.7;
  return async (ctx, next) => {
    const intent = ctx.nlu?.intent;
    const rule =
      intent && Object.hasOwn(options.intents, intent.name) ? options.intents[intent.name] : undefined;
    if (!intent || !rule || ctx.routedToCase || ctx.escalation || intent.confidence < minConfidence) {
      return next();
    }
    ctx.escalation = typeof rule === 'string' ? { reason: rule } : { ...rule };
    note(ctx, 'trigger.intent', { intent: intent.name, confidence: intent.confidence });
    await options.handoff.escalate(ctx);
  };
}
