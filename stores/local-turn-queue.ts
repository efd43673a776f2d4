import type { TurnQueue } from '../core/ports';

/**
 * In-process FIFO per conversation: each `run` waits for the previous one on the same id, whatever its
 * outcome. The chain entry is dropped once the last queued turn settles, so idle conversations cost nothing.
 */
export class LocalTurnQueue implements TurnQueue {
  private readonly tails = new Map<string, Promise<void>>();

  run<T>(conversationId: string, work: () => Promise<T>): Promise<T> {
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

  /** Conversations with a turn running or waiting; exposed so tests can check nothing leaks. */
  get activeConversations(): number {
    return this.tails.size;
  }
}
