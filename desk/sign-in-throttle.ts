import type { Clock } from '../core/ports';

export interface SignInThrottleOptions {
  clock: Clock;
  /** Failed attempts allowed per username within `windowMs`. */
  maxFailures?: number;
  windowMs?: number;
}

/**
 * Slows password guessing against one agent account: after `maxFailures` wrong passwords within the
 * window, further attempts for that username are refused until the oldest failure ages out. Kept per
 * process; with several processes an attacker gets that many tries per process, still few.
 */
export interface SignInThrottle {
  /** Milliseconds until the username may try again; 0 when it may try now. */
  waitMs(username: string): number;
  failed(username: string): void;
  succeeded(username: string): void;
}

export function createSignInThrottle({
  clock,
  maxFailures = 5,
  windowMs = 15 * 60_000,
}: SignInThrottleOptions): SignInThrottle {
  const failures = new Map<string, number[]>();
  const key = (username: string) => username.trim().toLowerCase();
  const recent = (username: string): number[] => {
    const now = clock.now();
    const kept = (failures.get(key(username)) ?? []).filter((at) => now - at < windowMs);
    if (kept.length === 0) failures.delete(key(username));
    else failures.set(key(username), kept);
    return kept;
  };
  return {
    waitMs(username) {
      const kept = recent(username);
      if (kept.length < maxFailures) return 0;
      return (kept[kept.length - maxFailures] ?? clock.now()) + windowMs - clock.now();
    },
    failed(username) {
      failures.set(key(username), [...recent(username), clock.now()]);
    },
    succeeded(username) {
      failures.delete(key(username));
    },
  };
}
