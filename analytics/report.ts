import { z } from 'zod';
import type { AnalyticsStore, TimeRange, UnansweredQuestion, AnalyticsEvent } from '../core/analytics';
import { analyticsEventSchema, unansweredQuestionSchema } from './events';
import { computeReport, DEFAULT_METRICS_OPTIONS, type AnalyticsReport, type MetricsOptions } from './metrics';
import { DAY_MS } from './contacts';
import { clusterQuestions, type QuestionCluster, type Vectorize } from './unanswered';

/** The report's figures and its unanswered questions: what `parley report --json` prints. */
export interface ReportFigures extends AnalyticsReport {
  unansweredQuestions: QuestionCluster[];
}

/**
 * Reads the period's events (and the 7 days before it, for repeat contacts) and its unanswered questions,
 * and computes every figure.
 */
export async function buildReport(
  store: Pick<AnalyticsStore, 'read' | 'readQuestions'>,
  range: TimeRange,
  vectorize: Vectorize,
  options: MetricsOptions = DEFAULT_METRICS_OPTIONS,
): Promise<ReportFigures> {
  // Cases opened late in the period are followed to their end, whenever that was.
  const events = await store.read({ from: range.from - 7 * DAY_MS, to: Number.MAX_SAFE_INTEGER });
  const questions = await store.readQuestions(range);
  return {
    ...computeReport(events, range, options),
    unansweredQuestions: clusterQuestions(questions, vectorize),
  };
}

/** A file of analytics as `parley simulate --out` writes it: events and unanswered questions. */
export const analyticsDumpSchema = z.object({
  events: z.array(analyticsEventSchema),
  questions: z.array(unansweredQuestionSchema),
});

export interface AnalyticsDump {
  events: AnalyticsEvent[];
  questions: UnansweredQuestion[];
}

/** `YYYY-MM-DD` (UTC midnight) or a full ISO time, to epoch ms; throws on anything else. */
export function parseDate(text: string, name: string): number {
  const at = Date.parse(/^\d{4}-\d{2}-\d{2}$/.test(text) ? `${text}T00:00:00Z` : text);
  if (Number.isNaN(at)) throw new Error(`${name}: "${text}" is not a date (use YYYY-MM-DD)`);
  return at;
}
