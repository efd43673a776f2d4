import { createMemoryStores } from '../stores/memory';
import { createAgentDirectory, hashPassword, type AgentAccount } from './agents';
import { createTokenIssuer, decodeCanonicalBase64url, type TokenIssuerOptions } from './tokens';

const cheap = { N: 2 ** 10, r: 8, p: 1 };
const SECRET = 'a-secret-of-32-bytes-or-so-12345';
const SAM = { username: 'sam', name: 'Sam' };

let now = 1000;
const clock = { now: () => now };
let accounts: AgentAccount[];

beforeAll(async () => {
  accounts = [{ ...SAM, passwordHash: await hashPassword('sam-password', cheap) }];
});
beforeEach(() => {
  now = 1000;
});

async function issuerFor(
  list: AgentAccount[],
  overrides: Partial<TokenIssuerOptions> = {},
  stores = createMemoryStores({ retentionMs: 3_600_000, clock }),
) {
  const directory = await createAgentDirectory(list);
  return createTokenIssuer({
    secret: SECRET,
    clock,
    directory,
    revoked: stores.revokedTokens,
    ttlMs: 60_000,
    ...overrides,
  });
}

/** Every other spelling of the same bytes that a lenient base64url decoder would accept. */
function respellings(text: string): string[] {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
  const last = text.at(-1)!;
  const head = text.slice(0, -1);
  const others = [...alphabet]
    .filter((c) => c !== last)
    .map((c) => head + c)
    .filter((candidate) => Buffer.from(candidate, 'base64url').equals(Buffer.from(text, 'base64url')));
  const spellings = [`${text}=`, text.replace(/-/g, '+').replace(/_/g, '/'), `${text} `, `${text}\n`];
  return [...others, ...spellings].filter((spelling) => spelling !== text);
}

describe('tokens', () => {
  it('round-trips an agent, with an id, and is accepted by another issuer with the same secret', async () => {
    const issuer = await issuerFor(accounts);
    const token = await issuer.issue(SAM);
    const twin = await issuerFor(accounts);
    expect(await twin.verify(token)).toEqual({ agent: SAM, tokenId: expect.any(String), expiresAt: 61_000 });
    const other = await issuer.issue(SAM);
    expect((await issuer.verify(other))!.tokenId).not.toBe((await issuer.verify(token))!.tokenId);
  });

  it('refuses expired, tampered and foreign tokens', async () => {
    const issuer = await issuerFor(accounts);
    const token = await issuer.issue(SAM);
    const [payload, signature] = token.split('.') as [string, string];
    // The first character carries only signature bits (the last one also carries padding).
    const flipped = (signature.startsWith('A') ? 'B' : 'A') + signature.slice(1);
    expect(await issuer.verify(`${payload}.${flipped}`)).toBeUndefined();
    expect(await issuer.verify(`${payload}x.${signature}`)).toBeUndefined();
    expect(await issuer.verify(`${token}.extra`)).toBeUndefined();
    expect(
      await (await issuerFor(accounts, { secret: 'another-secret-of-32-bytes-12345' })).verify(token),
    ).toBeUndefined();
    now += 60_001;
    expect(await issuer.verify(token)).toBeUndefined();
  });

  it('accepts only the canonical spelling of the signature and the payload', async () => {
    const issuer = await issuerFor(accounts);
    const token = await issuer.issue(SAM);
    const [payload, signature] = token.split('.') as [string, string];
    const variants = [
      ...respellings(signature).map((s) => `${payload}.${s}`),
      ...respellings(payload).map((p) => `${p}.${signature}`),
    ];
    // A 32-byte signature leaves 2 spare bits in its last character: 3 re-spellings decode the same.
    expect(variants.length).toBeGreaterThan(4);
    for (const variant of variants)
      expect({ variant, verified: await issuer.verify(variant) }).toEqual({ variant, verified: undefined });
    expect(await issuer.verify(token)).toBeDefined();
  });

  it('refuses a signed token for an agent who does not exist or was removed', async () => {
    const issuer = await issuerFor(accounts);
    await expect(issuer.issue({ username: 'mallory', name: 'Mallory' })).rejects.toThrow(/no agent/);
    const token = await issuer.issue(SAM);
    const withoutSam = await issuerFor([]);
    expect(await withoutSam.verify(token)).toBeUndefined();
  });

  it("refuses tokens issued before the agent's password changed", async () => {
    const issuer = await issuerFor(accounts);
    const token = await issuer.issue(SAM);
    const changed = await issuerFor([{ ...SAM, passwordHash: await hashPassword('new-password', cheap) }]);
    expect(await changed.verify(token)).toBeUndefined();
    expect(await changed.verify(await changed.issue(SAM))).toBeDefined();
  });

  it('refuses a revoked token on every issuer sharing the store, and only that token', async () => {
    const stores = createMemoryStores({ retentionMs: 3_600_000, clock });
    const [one, two] = [await issuerFor(accounts, {}, stores), await issuerFor(accounts, {}, stores)];
    const [token, kept] = [await one.issue(SAM), await one.issue(SAM)];
    await one.revoke((await one.verify(token))!);
    expect(await one.verify(token)).toBeUndefined();
    expect(await two.verify(token)).toBeUndefined();
    expect(await two.verify(kept)).toBeDefined();
  });

  it('refuses a short secret', async () => {
    await expect(issuerFor(accounts, { secret: 'short' })).rejects.toThrow(/16 bytes/);
  });
});

describe('decodeCanonicalBase64url', () => {
  it.each(['', 'QQ=', 'QR', 'Q Q', 'Q+/A', 'QQ\n'])('refuses %j', (text) => {
    expect(decodeCanonicalBase64url(text)).toBeUndefined();
  });

  it('decodes the canonical form', () => {
    expect(decodeCanonicalBase64url('QQ')?.toString()).toBe('A');
  });
});
