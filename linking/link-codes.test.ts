import type { Stores } from '../core/ports';
import { createMemoryStores } from '../stores/memory';
import { createRedisStores } from '../stores/redis';
import { silentLogger } from '../stores/silent-logger';
import { FakeClock } from '../test/support/fake-clock';
import { startRedisServer, type RedisServer } from '../test/support/redis-server';
import { formatToken, LinkCodes } from './link-codes';

const JANE = { customerId: 'webchat:jane', conversationId: 'webchat:jane' };
const PHONE = '+447700900123';
const FROM_PHONE = { channel: 'sms', userId: PHONE };
const FROM_WHATSAPP = { channel: 'whatsapp', userId: PHONE };
const STRANGER = { channel: 'sms', userId: '+15550007777' };
const MINUTE = 60_000;

describe.each(['memory', 'redis'] as const)('one-time link codes (%s store)', (kind) => {
  let redis: RedisServer | undefined;
  let stores: Stores;
  let clock: FakeClock;
  let codes: LinkCodes;
  let tests = 0;

  beforeAll(async () => {
    if (kind === 'redis') redis = await startRedisServer();
  });
  afterAll(async () => redis?.stop());

  beforeEach(async () => {
    clock = new FakeClock();
    stores = redis
      ? await createRedisStores({
          url: redis.url,
          retentionMs: 3_600_000,
          logger: silentLogger,
          keyPrefix: `t${(tests += 1)}:`,
        })
      : createMemoryStores({ retentionMs: 3_600_000, clock });
    codes = new LinkCodes({ store: stores.keyValue, locks: stores.turns, clock });
  });
  afterEach(async () => stores.close());

  it('accepts a texted code once, and only from the number it was texted to (SMS or WhatsApp)', async () => {
    const issued = await codes.issueForPhone(PHONE, { ...JANE, via: 'sms' });
    if (!issued.ok) throw new Error('not issued');
    expect(issued.code).toMatch(/^\d{6}$/);
    // From another number a 6-digit message is just a message: no code is pending for it.
    expect(await codes.redeem(STRANGER, issued.code)).toEqual({ outcome: 'none' });
    expect(await codes.redeem(FROM_WHATSAPP, ` ${issued.code.slice(0, 3)} ${issued.code.slice(3)} `)).toEqual(
      {
        outcome: 'accepted',
        grant: { ...JANE, via: 'sms' },
      },
    );
    expect(await codes.redeem(FROM_PHONE, issued.code)).toEqual({ outcome: 'none' });
  });

  it('refuses an expired code, and kills a phone code after five wrong tries', async () => {
    const other = '+447700900999';
    const expired = await codes.issueForPhone(other, { ...JANE, via: 'sms' });
    if (!expired.ok) throw new Error('not issued');
    clock.advance(10 * MINUTE);
    expect(await codes.redeem({ channel: 'sms', userId: other }, expired.code)).toEqual({
      outcome: 'rejected',
    });

    const issued = await codes.issueForPhone(PHONE, { ...JANE, via: 'sms' });
    if (!issued.ok) throw new Error('not issued');
    const wrong = issued.code === '000000' ? '111111' : '000000';
    for (let i = 0; i < 5; i += 1) expect((await codes.redeem(FROM_PHONE, wrong)).outcome).toBe('rejected');
    // The code died with the fifth wrong try (the right one is now an ordinary message), and the number
    // is locked out of every code for a while.
    expect((await codes.redeem(FROM_PHONE, issued.code)).outcome).toBe('none');
    expect((await codes.redeem(FROM_PHONE, 'ABCD-2345')).outcome).toBe('locked');
    clock.advance(15 * MINUTE);
    expect((await codes.redeem(FROM_PHONE, 'ABCD-2345')).outcome).toBe('rejected');
  });

  it('takes a shown or e-mailed token from any address, once, however it is typed', async () => {
    const issued = await codes.issueToken({ ...JANE, via: 'shown' });
    if (!issued.ok) throw new Error('not issued');
    expect(issued.code).toMatch(/^[2-9A-HJKMNP-Z]{8}$/);
    const typed = `link ${formatToken(issued.code).toLowerCase()}`;
    const [first, second] = await Promise.all([
      codes.redeem(STRANGER, typed),
      codes.redeem(FROM_PHONE, typed),
    ]);
    // Two senders racing for one token: exactly one wins.
    expect([first.outcome, second.outcome].sort()).toEqual(['accepted', 'rejected']);
  });

  it('never treats ordinary messages as code attempts', async () => {
    await codes.issueToken({ ...JANE, via: 'shown' });
    for (const text of ['whatever', '12345678', 'A1001', 'SW1A 1AA', 'hello there', '123456'])
      expect(await codes.redeem(STRANGER, text)).toEqual({ outcome: 'none' });
  });

  it('limits codes per customer and per destination, and locks an address guessing tokens', async () => {
    for (let i = 0; i < 3; i += 1) expect((await codes.issueToken({ ...JANE, via: 'shown' })).ok).toBe(true);
    expect(await codes.issueToken({ ...JANE, via: 'shown' })).toEqual({ ok: false, reason: 'rate_limited' });
    const other = { customerId: 'webchat:bob', conversationId: 'webchat:bob', via: 'email' as const };
    for (let i = 0; i < 3; i += 1) expect((await codes.issueToken(other, 'Jane@example.com')).ok).toBe(true);
    const mallory = {
      customerId: 'webchat:mallory',
      conversationId: 'webchat:mallory',
      via: 'email' as const,
    };
    expect((await codes.issueToken(mallory, 'jane@example.com')).ok).toBe(false);
    clock.advance(15 * MINUTE);
    expect((await codes.issueToken({ ...JANE, via: 'shown' })).ok).toBe(true);

    for (let i = 0; i < 5; i += 1)
      expect((await codes.redeem(STRANGER, `ABCD-234${i + 5}`)).outcome).toBe('rejected');
    expect((await codes.redeem(STRANGER, 'ABCD-2349')).outcome).toBe('locked');
  });
});
