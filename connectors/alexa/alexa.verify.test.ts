import { X509Certificate } from 'node:crypto';
import { bundledRoots, checkChain, checkChainUrl, parsePemChain } from './alexa.certificates';
import { createAlexaVerifier, type AlexaVerifier } from './alexa.verify';
import { CHAIN_URL, createTestCa, type TestCa } from '../../test/support/alexa-ca';

const NOW = Date.parse('2026-12-04T12:00:00Z');
const SKILL = 'amzn1.ask.skill.test-0001';

function body(overrides: { timestamp?: string; skill?: string } = {}): string {
  return JSON.stringify({
    version: '1.0',
    context: {
      System: {
        application: { applicationId: overrides.skill ?? SKILL },
        user: { userId: 'amzn1.ask.account.A' },
      },
    },
    request: {
      type: 'LaunchRequest',
      requestId: 'amzn1.echo-api.request.1',
      timestamp: overrides.timestamp ?? new Date(NOW).toISOString(),
      locale: 'en-US',
    },
  });
}

describe('Alexa request verification', () => {
  let ca: TestCa;
  let clock: { now: () => number };
  let verifier: AlexaVerifier;
  beforeAll(() => {
    ca = createTestCa(NOW);
  });
  beforeEach(() => {
    let now = NOW;
    clock = { now: () => now };
    Object.assign(clock, { set: (value: number) => (now = value) });
    verifier = createAlexaVerifier({
      skillId: SKILL,
      clock,
      testOnly: { trustedRoots: ca.trustedRoots, fetchChain: ca.fetchChain },
    });
  });
  const headers = (raw: string, extra: Record<string, string> = {}) =>
    Object.fromEntries(
      Object.entries({ ...ca.signedHeaders(raw), ...extra }).map(([k, v]) => [k.toLowerCase(), v]),
    );

  it('accepts a request signed by the chain, and downloads the chain once', async () => {
    const raw = body();
    for (let i = 0; i < 3; i += 1)
      await expect(verifier.verify(headers(raw), Buffer.from(raw))).resolves.toMatchObject({ ok: true });
    expect(verifier.chains.downloads).toBe(1);
  });

  it.each([
    ['https://s3.amazonaws.com/echo.api/echo-api-cert.pem', true],
    ['https://s3.amazonaws.com:443/echo.api/echo-api-cert.pem', true],
    ['HTTPS://S3.AMAZONAWS.COM/echo.api/echo-api-cert.pem', true],
    ['https://s3.amazonaws.com/echo.api/../echo.api/echo-api-cert.pem', true],
    ['http://s3.amazonaws.com/echo.api/echo-api-cert.pem', false],
    ['https://notamazon.com/echo.api/echo-api-cert.pem', false],
    ['https://s3.amazonaws.com.evil.example/echo.api/echo-api-cert.pem', false],
    ['https://s3.amazonaws.com/EcHo.aPi/echo-api-cert.pem', false],
    ['https://s3.amazonaws.com/invalid.path/echo-api-cert.pem', false],
    ['https://s3.amazonaws.com/echo.api/../invalid.path/echo-api-cert.pem', false],
    ['https://s3.amazonaws.com:563/echo.api/echo-api-cert.pem', false],
    ['https://user:pw@s3.amazonaws.com/echo.api/echo-api-cert.pem', false],
    ['not a url', false],
  ])('chain URL %s is acceptable: %s', (url, ok) => {
    expect(checkChainUrl(url).ok).toBe(ok);
  });

  it('refuses a chain URL off the rules before downloading anything', async () => {
    const raw = body();
    const verdict = await verifier.verify(
      headers(raw, { SignatureCertChainUrl: 'https://s3.amazonaws.com:563/echo.api/echo-api-cert-test.pem' }),
      Buffer.from(raw),
    );
    expect(verdict).toMatchObject({ ok: false, detail: expect.stringMatching(/port/) });
    expect(ca.fetched).not.toContain('https://s3.amazonaws.com:563/echo.api/echo-api-cert-test.pem');
  });

  it.each([
    ['expired', /not valid now/],
    ['notYetValid', /not valid now/],
    ['wrongSan', /echo-api\.amazon\.com/],
    ['untrustedRoot', /trusted root/],
    ['leafSignsLeaf', /not signed by/],
  ] as const)('refuses a chain that is %s', async (kind, reason) => {
    const url = `https://s3.amazonaws.com/echo.api/${kind}.pem`;
    ca.publish(url, ca.broken[kind]);
    const raw = body();
    const verdict = await verifier.verify(headers(raw, { SignatureCertChainUrl: url }), Buffer.from(raw));
    expect(verdict).toMatchObject({ ok: false, detail: expect.stringMatching(reason) });
  });

  it('refuses a chain that cannot be downloaded', async () => {
    const raw = body();
    const url = 'https://s3.amazonaws.com/echo.api/missing.pem';
    const verdict = await verifier.verify(headers(raw, { SignatureCertChainUrl: url }), Buffer.from(raw));
    expect(verdict).toMatchObject({ ok: false, detail: expect.stringMatching(/unavailable/) });
  });

  it('refuses a forged signature, a tampered body and a missing signature', async () => {
    const raw = body();
    const forged = Object.fromEntries(
      Object.entries(ca.forgedHeaders(raw)).map(([k, v]) => [k.toLowerCase(), v]),
    );
    expect((await verifier.verify(forged, Buffer.from(raw))).ok).toBe(false);
    const tampered = raw.replace('LaunchRequest', 'LaunchRequesT');
    expect(await verifier.verify(headers(raw), Buffer.from(tampered))).toMatchObject({
      ok: false,
      detail: expect.stringMatching(/does not match/),
    });
    const { ['signature-256']: _dropped, ...unsigned } = headers(raw);
    expect(await verifier.verify(unsigned, Buffer.from(raw))).toMatchObject({ ok: false });
  });

  it('refuses a timestamp more than 150 seconds away, either way', async () => {
    for (const offset of [-151_000, 151_000]) {
      const raw = body({ timestamp: new Date(NOW + offset).toISOString() });
      expect(await verifier.verify(headers(raw), Buffer.from(raw))).toMatchObject({
        ok: false,
        detail: expect.stringMatching(/150 seconds/),
      });
    }
    const raw = body({ timestamp: new Date(NOW - 149_000).toISOString() });
    expect((await verifier.verify(headers(raw), Buffer.from(raw))).ok).toBe(true);
  });

  it("refuses another skill's request", async () => {
    const raw = body({ skill: 'amzn1.ask.skill.someone-else' });
    expect(await verifier.verify(headers(raw), Buffer.from(raw))).toMatchObject({
      ok: false,
      detail: expect.stringMatching(/another skill/),
    });
  });

  it('downloads the chain again once a certificate in it has expired', async () => {
    const raw = () => body({ timestamp: new Date(clock.now()).toISOString() });
    const first = raw();
    expect((await verifier.verify(headers(first), Buffer.from(first))).ok).toBe(true);
    (clock as unknown as { set(v: number): void }).set(NOW + 400 * 24 * 3600 * 1000);
    const later = raw();
    // The cached chain is past its expiry: fetched again, and now refused as expired.
    expect(await verifier.verify(headers(later), Buffer.from(later))).toMatchObject({
      ok: false,
      detail: expect.stringMatching(/not valid now/),
    });
    expect(ca.fetched.filter((url) => url === CHAIN_URL).length).toBeGreaterThanOrEqual(2);
  });

  it("trusts Node's bundled Mozilla roots in production, which do not include the test CA", () => {
    const roots = bundledRoots();
    expect(roots.length).toBeGreaterThan(100);
    expect(roots.every((root) => root instanceof X509Certificate)).toBe(true);
    expect(checkChain(parsePemChain(ca.chainPem), roots, NOW)).toMatchObject({
      ok: false,
      detail: expect.stringMatching(/trusted root/),
    });
    expect(checkChain(parsePemChain(ca.chainPem), ca.trustedRoots, NOW)).toEqual({ ok: true });
  });
});
