import type { ConversationState } from '../core/ports';
import type { ExpiringMap } from './expiring-map';

/** Runs a task every `ms` until the returned stop is called; injectable so tests move time themselves. */
export interface Scheduler {
  every(ms: number, task: () => void): () => void;
}

/** Real timers, unref'd: housekeeping never keeps a process alive. */
export const timerScheduler: Scheduler = {
  every(ms, task) {
    const timer = setInterval(task, ms);
    timer.unref();
    return () => clearInterval(timer);
  },
};

/** Default ceiling on conversations held by the memory stores (`PARLEY_MEMORY_MAX_CONVERSATIONS`). */
export const DEFAULT_MAX_CONVERSATIONS = 50_000;
/** How often expired entries are dropped while the process is otherwise idle. */
export const DEFAULT_SWEEP_EVERY_MS = 60_000;
/** Share of the cap evicted at once, so the pass over dedupe records is paid once per many conversations. */
const EVICTION_BATCH = 0.02;

export interface HousekeepingParts {
  /** Conversation states, least recently written (least recently active) first. */
  states: ExpiringMap<ConversationState>;
  /** Everything with entries that expire. */
  sweepables: Array<{ sweep(): void }>;
  /** True while a turn of the conversation runs or waits: never evicted then. */
  busy(conversationId: string): boolean;
  /** Forgets the conversations' states, transcripts and dedupe records. */
  evict(conversationIds: ReadonlySet<string>): void;
}

export interface HousekeepingOptions {
  maxConversations: number;
  sweepEveryMs: number;
  scheduler: Scheduler;
}

/**
 * Keeps the memory stores bounded: a timer drops expired entries even when nothing is written, and past
 * `maxConversations` the least recently active idle conversations are evicted (they start afresh).
 */
export class MemoryHousekeeper {
  private readonly stopTimer: () => void;

  constructor(
    private readonly parts: HousekeepingParts,
    private readonly options: HousekeepingOptions,
  ) {
    const { maxConversations, sweepEveryMs } = options;
    if (!(maxConversations >= 1))
      throw new RangeError(`maxConversations must be at least 1, got ${maxConversations}`);
    if (!(sweepEveryMs > 0)) throw new RangeError(`sweepEveryMs must be positive, got ${sweepEveryMs}`);
    this.stopTimer = options.scheduler.every(sweepEveryMs, () => this.sweep());
  }

  sweep(): void {
    for (const part of this.parts.sweepables) part.sweep();
  }

  /** Called after a conversation's state was written. */
  afterWrite(): void {
    const { states } = this.parts;
    const max = this.options.maxConversations;
    if (states.size <= max) return;
    states.sweep();
    if (states.size <= max) return;
    const target = max - Math.floor(max * EVICTION_BATCH);
    const evicted = new Set<string>();
    for (const id of states.keysByAge()) {
      if (states.size - evicted.size <= target) break;
      if (!this.parts.busy(id)) evicted.add(id);
    }
    if (evicted.size > 0) this.parts.evict(evicted);
  }

  stop(): void {
    this.stopTimer();
  }
}
