import { createSignInThrottle } from './sign-in-throttle';

describe('createSignInThrottle', () => {
  it('waits out the window after too many failures, and forgets them on success', () => {
    let now = 0;
    const throttle = createSignInThrottle({ clock: { now: () => now }, maxFailures: 3, windowMs: 60_000 });
    for (const at of [0, 10_000, 20_000]) {
      now = at;
      expect(throttle.waitMs('sam')).toBe(0);
      throttle.failed('sam');
    }
    now = 30_000;
    // The oldest of the last three failures (at 0) ages out at 60 s.
    expect(throttle.waitMs('Sam')).toBe(30_000);
    now = 60_000;
    expect(throttle.waitMs('sam')).toBe(0);
    throttle.failed('sam');
    expect(throttle.waitMs('sam')).toBe(10_000);
    throttle.succeeded('sam');
    expect(throttle.waitMs('sam')).toBe(0);
  });
});
