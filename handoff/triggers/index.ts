import type { Middleware } from '../../core/compose';
import type { StageName } from '../../core/errors';
import type { MessageCatalogue } from '../../core/messages';
import type { HandoffPort } from '../../core/pipeline';
import type { Stores } from '../../core/ports';
import type { TurnContext } from '../../core/turn';
import { createBusinessHours, createOutOfHoursNotice, type BusinessHoursConfig } from './business-hours';
import { createIntentTrigger, type IntentRule } from './intents';
import { createSentimentTrigger, type SentimentTriggerOptions } from './sentiment-trigger';

export * from './business-hours';
export * from './intents';
export * from '../../nlu/sentiment';
export * from './sentiment-trigger';

/** Which handoff triggers a bot uses. Repeated misunderstanding lives in the dialog engine (`maxMisunderstandings`). */
export interface HandoffTriggerSettings {
  /** Sentiment trigger options, or `false` to turn it off (it is on by default). */
  sentiment?: Omit<SentimentTriggerOptions, 'handoff' | 'transcripts'> | false;
  /** Intents that always go to a person, e.g. `{ cancel_service: 'policy' }`; none by default. */
  intents?: Record<string, IntentRule>;
  minIntentConfidence?: number;
  /** When set, escalations outside these hours tell the customer when a person will reply. */
  businessHours?: BusinessHoursConfig;
}

/** What the triggers say to customers, per locale (the framework's catalogue when absent). */
export interface HandoffTriggerTexts {
  messages?: MessageCatalogue;
}

/**
 * Hooks the handoff triggers into a runtime's pipeline, in the order they must run: intent rules before
 * the bot's step, sentiment after it, the out-of-hours notice once every escalation of the turn is known.
 *
 * @example
 * installHandoffTriggers(runtime, createCaseRouting({ stores, dialog, clock, ids }), {
 *   businessHours: { timeZone: 'Europe/London', weekly: { mon: ['09:00-17:00'] } },
 * });
 */
export function installHandoffTriggers(
  runtime: {
    pipeline: { use(stage: StageName, middleware: Middleware<TurnContext>): unknown };
    stores: Pick<Stores, 'transcripts'>;
  },
  handoff: Pick<HandoffPort, 'escalate'>,
  settings: HandoffTriggerSettings = {},
  { messages }: HandoffTriggerTexts = {},
): void {
  const { pipeline, stores } = runtime;
  if (settings.intents && Object.keys(settings.intents).length > 0) {
    pipeline.use(
      'decide',
      createIntentTrigger({
        handoff,
        intents: settings.intents,
        ...(settings.minIntentConfidence !== undefined
          ? { minConfidence: settings.minIntentConfidence }
          : {}),
      }),
    );
  }
  if (settings.sentiment !== false) {
    pipeline.use(
      'decide',
      createSentimentTrigger({
        ...(messages ? { messages } : {}),
        ...settings.sentiment,
        handoff,
        transcripts: stores.transcripts,
      }),
    );
  }
  if (settings.businessHours) {
    pipeline.use('respond', createOutOfHoursNotice(createBusinessHours(settings.businessHours, messages)));
  }
}
