import { MemoryAttemptCounter } from '../stores/memory-sign-in';
import { FakeClock } from '../test/support/fake-clock';
import { addressGroup, createSignInThrottle, type SignInReservation } from './sign-in-throttle';

const ATTACKER = '203.0.113.66';
const AGENT_DESK = '198.51.100.7';

function setUp(options: { maxFailures?: number; maxPerAddress?: number } = {}) {
  const clock = new FakeClock();
  const throttle = createSignInThrottle({
    attempts: new MemoryAttemptCounter(clock),
    windowMs: 60_000,
    ...options,
  });
  return { clock, throttle };
}

const allowed = (reservations: SignInReservation[]) => reservations.filter((r) => r.ok).length;

describe('createSignInThrottle', () => {
  it('reserves attempts before any password check: of 60 sent at once, only 5 go through', async () => {
    const { throttle } = setUp({ maxFailures: 5 });
    const reservations = await Promise.all(
      Array.from({ length: 60 }, () => throttle.reserve('sam', ATTACKER)),
    );
    expect(allowed(reservations)).toBe(5);
    expect(reservations.filter((r) => !r.ok)).toEqual(
      Array.from({ length: 55 }, () => ({ ok: false, retryAfterMs: 60_000 })),
    );
  });

  it("refuses the attacker's address but lets the agent sign in from theirs", async () => {
    const { throttle } = setUp({ maxFailures: 3 });
    for (let i = 0; i < 3; i += 1) expect((await throttle.reserve('sam', ATTACKER)).ok).toBe(true);
    expect((await throttle.reserve('SAM ', ATTACKER)).ok).toBe(false);
    const agent = await throttle.reserve('sam', AGENT_DESK);
    expect(agent.ok).toBe(true);
  });

  it('limits one address across usernames (one password sprayed over many accounts)', async () => {
    const { throttle } = setUp({ maxFailures: 5, maxPerAddress: 10 });
    const sprayed = [];
    for (let i = 0; i < 15; i += 1) sprayed.push(await throttle.reserve(`agent${i}`, ATTACKER));
    expect(allowed(sprayed)).toBe(10);
    expect((await throttle.reserve('agent0', AGENT_DESK)).ok).toBe(true);
  });

  it('forgets failures on success, does not count a success against the address, and waits out the window', async () => {
    const { throttle, clock } = setUp({ maxFailures: 2, maxPerAddress: 3 });
    expect((await throttle.reserve('sam', AGENT_DESK)).ok).toBe(true);
    const right = await throttle.reserve('sam', AGENT_DESK);
    if (!right.ok) throw new Error('refused');
    await right.attempt.succeeded();
    // One failure left on the address's count: two more attempts fit, the third does not.
    expect((await throttle.reserve('sam', AGENT_DESK)).ok).toBe(true);
    expect((await throttle.reserve('sam', AGENT_DESK)).ok).toBe(true);
    expect(await throttle.reserve('sam', AGENT_DESK)).toEqual({ ok: false, retryAfterMs: 60_000 });
    clock.advance(60_000);
    expect((await throttle.reserve('sam', AGENT_DESK)).ok).toBe(true);
  });

  it('counts a whole IPv6 /64 as one address', async () => {
    const { throttle } = setUp({ maxFailures: 1, maxPerAddress: 2 });
    expect((await throttle.reserve('a', '2001:db8:1:2::1')).ok).toBe(true);
    expect((await throttle.reserve('b', '2001:db8:1:2:ffff::9')).ok).toBe(true);
    expect((await throttle.reserve('c', '2001:db8:1:2:0:0:0:3')).ok).toBe(false);
    expect((await throttle.reserve('c', '2001:db8:1:3::1')).ok).toBe(true);
  });
});

describe('addressGroup', () => {
  it.each([
    ['203.0.113.9', '203.0.113.9'],
    ['::ffff:203.0.113.9', '203.0.113.9'],
    ['2001:DB8:0001:0002:3:4:5:6', '2001:db8:1:2::/64'],
    ['2001:db8::1', '2001:db8:0:0::/64'],
    ['::1', '0:0:0:0::/64'],
    ['fe80::1%eth0', 'fe80:0:0:0::/64'],
  ])('%s → %s', (address, group) => {
    expect(addressGroup(address)).toBe(group);
  });
});
