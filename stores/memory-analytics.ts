import type { AnalyticsEvent, AnalyticsStore, TimeRange, UnansweredQuestion } from '../core/analytics';
import type { Clock } from '../core/ports';
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

/** Rows in write order; expired ones are skipped from the front, and the array compacted now and then. */
class WrittenRows<T> {
  private rows: Written<T>[] = [];
  private head = 0;

  constructor(
    private readonly ttlMs: number,
    private readonly clock: Clock,
  ) {}

  push(items: T[]): void {
    this.expire();
    const writtenAt = this.clock.now();
    for (const item of items) this.rows.push({ item, writtenAt });
  }

  live(): Written<T>[] {
    this.expire();
    return this.rows.slice(this.head);
  }

  // Amortised: a record no longer copies every row it keeps, only each row once when compacting.
  private expire(): void {
    const cutoff = this.clock.now() - this.ttlMs;
    while (this.head < this.rows.length && this.rows[this.head]!.writtenAt <= cutoff) this.head += 1;
    if (this.head > 1024 && this.head * 2 > this.rows.length) {
      this.rows = this.rows.slice(this.head);
      this.head = 0;
    }
  }
}

/** Analytics in this process's memory (the default): lost on restart, expired on read and on write. */
export function createMemoryAnalytics(
  retention: AnalyticsRetention,
  clock: Clock = systemClock,
): AnalyticsStore {
  const events = new WrittenRows<AnalyticsEvent>(retention.retentionMs, clock);
  const questions = new WrittenRows<UnansweredQuestion>(retention.questionRetentionMs, clock);
  const within = <T extends { at: number }>(rows: Written<T>[], range: TimeRange) =>
    rows
      .map((row) => row.item)
      .filter((item) => item.at >= range.from && item.at < range.to)
      .sort((a, b) => a.at - b.at);
  return {
    async record(batch) {
      events.push(batch.map((item) => structuredClone(item)));
    },
    async read(range) {
      return within(events.live(), range);
    },
    async recordQuestion(question) {
      questions.push([{ ...question }]);
    },
    async readQuestions(range) {
      return within(questions.live(), range);
    },
    async close() {},
  };
}
