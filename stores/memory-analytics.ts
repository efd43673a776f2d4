import type {
  AnalyticsEvent,
  AnalyticsStore,
  CustomerAnalytics,
  TimeRange,
  UnansweredQuestion,
} from '../core/analytics';
import type { Clock, CustomerScope } from '../core/ports';
import { systemClock } from '../core/defaults';

export interface AnalyticsRetention {
  /** How long events stay after they were written. */
  retentionMs: number;
  /** How long the text of unanswered questions stays: shorter, since it is what customers wrote. */
  questionRetentionMs: number;
}

interface Written<T> {
  item: T;
  writtenAt: number;
}

/** Analytics in this process's memory (the default): lost on restart, expired on read and on write. */
export function createMemoryAnalytics(
  retention: AnalyticsRetention,
  clock: Clock = systemClock,
): AnalyticsStore {
  let events: Written<AnalyticsEvent>[] = [];
  let questions: Written<UnansweredQuestion>[] = [];
  const live = <T>(rows: Written<T>[], ttl: number) => {
    const cutoff = clock.now() - ttl;
    return rows.filter((row) => row.writtenAt > cutoff);
  };
  /**
   * Frees expired rows on the write path without a pass over every row on every turn (that grew with
   * the retention period): rows are appended in time order, so expired ones sit at the front. Reads still
   * filter every row, so a row out of order (a clock that went back) is never read after it expired; it
   * is freed once the rows before it are.
   */
  const dropExpired = <T>(rows: Written<T>[], ttl: number): Written<T>[] => {
    const cutoff = clock.now() - ttl;
    let first = 0;
    while (first < rows.length && (rows[first] as Written<T>).writtenAt <= cutoff) first++;
    return first === 0 ? rows : rows.slice(first);
  };
  const within = <T extends { at: number }>(rows: Written<T>[], range: TimeRange) =>
    rows
      .map((row) => row.item)
      .filter((item) => item.at >= range.from && item.at < range.to)
      .sort((a, b) => a.at - b.at);
  return {
    async record(batch) {
      events = dropExpired(events, retention.retentionMs);
      const writtenAt = clock.now();
      for (const item of batch) events.push({ item: copyOf(item), writtenAt });
    },
    async read(range) {
      return within(live(events, retention.retentionMs), range);
    },
    async recordQuestion(question) {
      questions = dropExpired(questions, retention.questionRetentionMs);
      questions.push({ item: { ...question }, writtenAt: clock.now() });
    },
    async readQuestions(range) {
      return within(live(questions, retention.questionRetentionMs), range);
    },
    async listByCustomer(scope) {
      const about = aboutCustomer(scope);
      const mine: CustomerAnalytics[] = live(events, retention.retentionMs)
        .map((row) => structuredClone(row.item))
        .filter(about.event);
      const asked = live(questions, retention.questionRetentionMs)
        .map((row) => row.item)
        .filter(about.question);
      return [...mine, ...asked.map((q) => ({ unansweredQuestion: { ...q } }))];
    },
    async eraseByCustomer(scope) {
      const about = aboutCustomer(scope);
      const before = events.length + questions.length;
      events = events.filter((row) => !about.event(row.item));
      questions = questions.filter((row) => !about.question(row.item));
      return before - events.length - questions.length;
    },
    async close() {},
  };
}

/** A copy the caller cannot change: events are flat but for a transfer's `to` (cheaper than structuredClone). */
function copyOf(event: AnalyticsEvent): AnalyticsEvent {
  return event.type === 'case.transferred' ? { ...event, to: { ...event.to } } : { ...event };
}

/** Whether an event or a question belongs to the customer in `scope`: by their id or one of their conversations. */
export function aboutCustomer(scope: CustomerScope) {
  const conversations = new Set(scope.conversationIds);
  return {
    event: (e: AnalyticsEvent) => e.customerId === scope.customerId || conversations.has(e.conversationId),
    question: (q: UnansweredQuestion) => conversations.has(q.conversationId),
  };
}
