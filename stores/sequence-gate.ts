import type { Clock } from '../core/ports';
import { ExpiringMap } from './expiring-map';

/**
 * Holds back a numbered message until its predecessor has joined the queue (in this process): the client's
 * `metadata.sequence` wins over the order requests happened to arrive in. A message whose predecessor never
 * comes is let through after `maxWaitMs`, so a lost message delays its successors but never blocks them.
 */
export class SequenceGate {
  private readonly last: ExpiringMap<number>;
  private readonly waiting = new Map<string, Map<number, () => void>>();

  /** The last number seen per conversation is kept for `rememberMs` after its last use. */
  constructor(
    private readonly maxWaitMs: number,
    rememberMs: number,
    clock: Clock,
  ) {
    this.last = new ExpiringMap<number>(rememberMs, clock);
  }

  /** Calls `join` now or once `sequence - 1` has joined (or the wait ran out); `join` is called exactly once. */
  admit(conversationId: string, sequence: number | undefined, join: () => void): void {
    if (sequence === undefined) return join();
    const last = this.last.get(conversationId);
    // Numbers start at 0 or 1; a higher first number may have a predecessor still on its way.
    if (sequence <= (last === undefined ? 1 : last + 1)) return this.pass(conversationId, sequence, join);
    const waiters = this.waiting.get(conversationId) ?? new Map<number, () => void>();
    this.waiting.set(conversationId, waiters);
    let done = false;
    const go = () => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      if (waiters.get(sequence) === go) waiters.delete(sequence);
      if (waiters.size === 0 && this.waiting.get(conversationId) === waiters)
        this.waiting.delete(conversationId);
      this.pass(conversationId, sequence, join);
    };
    const timer = setTimeout(go, this.maxWaitMs);
    // A second message with the same number (a retry) lets the first one through now.
    waiters.get(sequence)?.();
    waiters.set(sequence, go);
  }

  private pass(conversationId: string, sequence: number, join: () => void): void {
    this.last.set(conversationId, Math.max(this.last.get(conversationId) ?? sequence, sequence));
    join();
    this.waiting.get(conversationId)?.get(sequence + 1)?.();
  }
}
