import { isIPv6 } from 'node:net';
import type { AttemptCounter } from '../core/ports';

export interface SignInThrottleOptions {
  /** The store's counters, so every process sharing it enforces one limit. */
  attempts: AttemptCounter;
  /** Wrong passwords allowed for one username from one client address within `windowMs`. */
  maxFailures?: number;
  /** Failed sign-ins allowed from one client address within `windowMs`, whatever the usernames. */
  maxPerAddress?: number;
  windowMs?: number;
}

/** A reserved attempt, counted as a failure unless the password turns out right. */
export interface SignInAttempt {
  succeeded(): Promise<void>;
}

export type SignInReservation = { ok: true; attempt: SignInAttempt } | { ok: false; retryAfterMs: number };

/**
 * Slows password guessing. An attempt is reserved (counted) before the password is checked, so many
 * guesses sent at once get no more checks than one after another. Limits apply per username *and* client
 * address, plus per address across usernames (one password sprayed over many accounts): an attacker's
 * address is refused while the agent, from their own address, can still sign in.
 */
export interface SignInThrottle {
  reserve(username: string, address: string): Promise<SignInReservation>;
}

export function createSignInThrottle({
  attempts,
  maxFailures = 5,
  maxPerAddress = 20,
  windowMs = 15 * 60_000,
}: SignInThrottleOptions): SignInThrottle {
  return {
    async reserve(username, address) {
      const group = addressGroup(address);
      const byAddress = `signin:address:${group}`;
      const byAccount = `signin:account:${username.trim().toLowerCase()}\u0000${group}`;
      // Refused attempts still count against the address: they come from it.
      const fromAddress = await attempts.take(byAddress, maxPerAddress, windowMs);
      if (!fromAddress.allowed) return { ok: false, retryAfterMs: fromAddress.retryAfterMs };
      const forAccount = await attempts.take(byAccount, maxFailures, windowMs);
      if (!forAccount.allowed) return { ok: false, retryAfterMs: forAccount.retryAfterMs };
      return {
        ok: true,
        attempt: {
          async succeeded() {
            await Promise.all([attempts.clear(byAccount), attempts.giveBack(byAddress)]);
          },
        },
      };
    },
  };
}

/**
 * The unit an address limit applies to: an IPv4 address, or the /64 network of an IPv6 one (one host
 * commonly holds a whole /64, so counting single IPv6 addresses would not limit anybody).
 */
export function addressGroup(address: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return mapped[1]!;
  if (!isIPv6(address)) return address;
  const [head = '', tail] = address.split('::');
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const zeros = tail === undefined ? [] : Array.from({ length: 8 - left.length - right.length }, () => '0');
  const hextets = [...left, ...zeros, ...right];
  return `${hextets
    .slice(0, 4)
    .map((part) => part.toLowerCase().replace(/^0+(?=.)/, ''))
    .join(':')}::/64`;
}
