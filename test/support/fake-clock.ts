import type { Clock } from '../../core/ports';

/** A clock that moves only when a test says so. */
export class FakeClock implements Clock {
  constructor(private current = Date.UTC(2025, 0, 1)) {}

  now(): number {
    return this.current;
  }

  advance(ms: number): void {
    this.current += ms;
  }
}
