import type { AnalyticsEvent, AnalyticsStore, UnansweredQuestion } from '../core/analytics';
import type { Logger } from '../core/ports';
import { analyticsEventSchema, isWellFormedTurn, unansweredQuestionSchema } from './events';

/**
 * The one write path of analytics: every event is validated against its schema, then stored (a
 * `turn.completed`, one per customer message, first by a quicker check no looser than the schema; what it
 * does not pass goes to the schema, which decides). Recording is
 * off the critical path: a store that fails is logged (never silently) and never fails a turn or an agent's
 * action; an event that fails validation is a bug, logged as an error and dropped.
 */
export interface AnalyticsRecorder {
  emit(...events: AnalyticsEvent[]): Promise<void>;
  /** The text of a message the bot could not answer, from `customerId` (consent decides whether it is kept). */
  question(question: UnansweredQuestion, customerId?: string): Promise<void>;
}

export function createAnalyticsRecorder(store: AnalyticsStore, logger: Logger): AnalyticsRecorder {
  const log = logger.child({ component: 'analytics' });
  return {
    async emit(...events) {
      const valid: AnalyticsEvent[] = [];
      for (const event of events) {
        if (isWellFormedTurn(event)) {
          valid.push(event);
          continue;
        }
        const parsed = analyticsEventSchema.safeParse(event);
        if (parsed.success) valid.push(parsed.data);
        else log.error({ type: event.type, issues: parsed.error.issues }, 'invalid analytics event dropped');
      }
      if (valid.length === 0) return;
      try {
        await store.record(valid);
      } catch (error) {
        log.warn({ err: error, count: valid.length }, 'analytics events could not be stored');
      }
    },
    async question(question) {
      const parsed = unansweredQuestionSchema.safeParse(question);
      if (!parsed.success) {
        log.error({ issues: parsed.error.issues }, 'invalid unanswered question dropped');
        return;
      }
      try {
        await store.recordQuestion(parsed.data);
      } catch (error) {
        log.warn({ err: error }, 'an unanswered question could not be stored');
      }
    },
  };
}
