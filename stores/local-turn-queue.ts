import { systemClock } from '../core/defaults';
import type { Clock, TurnOrder, TurnQueue } from '../core/ports';
import { SequenceGate } from './sequence-gate';

export interface LocalTurnQueueOptions {
  /** How long a numbered message waits for its predecessor (`TurnOrder.sequence`). Default 2 s. */
  sequenceWaitMs?: number;
  /** How long a conversation's last message number is remembered. Default 1 hour. */
  sequenceMemoryMs?: number;
  clock?: Clock;
}

/**
 * In-process FIFO per conversation: each `run` waits for the previous one on the same id, whatever its
 * outcome. The place is taken synchronously when `run` is called (a numbered message's once its
 * predecessor's is taken). The chain entry is dropped once the last queued turn settles, so idle
 * conversations cost nothing.
 */
export class LocalTurnQueue implements TurnQueue {
  private readonly tails = new Map<string, Promise<void>>();
  private readonly gate: SequenceGate;

  constructor(options: LocalTurnQueueOptions = {}) {
    const { sequenceWaitMs = 2000, sequenceMemoryMs = 3_600_000, clock = systemClock } = options;
    this.gate = new SequenceGate(sequenceWaitMs, sequenceMemoryMs, clock);
  }

  run<T>(conversationId: string, work: () => Promise<T>, order: TurnOrder = {}): Promise<T> {
    if (order.sequence === undefined) return this.enqueue(conversationId, work);
    return new Promise<T>((resolve, reject) => {
      this.gate.admit(conversationId, order.sequence, () => {
        this.enqueue(conversationId, work).then(resolve, reject);
      });
    });
  }

  /** True while a turn of the conversation runs or waits here. */
  isActive(conversationId: string): boolean {
    return this.tails.has(conversationId);
  }

  /** Conversations with a turn running or waiting; exposed so tests can check nothing leaks. */
  get activeConversations(): number {
    return this.tails.size;
  }

  private enqueue<T>(conversationId: string, work: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(conversationId) ?? Promise.resolve();
    const result = previous.then(work);
    const tail = result.then(
      () => undefined,
      () => undefined,
    );
    this.tails.set(conversationId, tail);
    void tail.then(() => {
      if (this.tails.get(conversationId) === tail) this.tails.delete(conversationId);
    });
    return result;
  }
}
