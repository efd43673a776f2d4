import { X509Certificate } from 'node:crypto';
import { rootCertificates } from 'node:tls';
import type { Clock } from '../../core/ports';

/** The host name Amazon's signing certificate must be issued for (its subject alternative name). */
export const ALEXA_SIGNING_SAN = 'echo-api.amazon.com';

/** A certificate chain's PEM text for a URL; rejects when it cannot be had. */
export type ChainFetcher = (url: string) => Promise<string>;

export type CheckResult = { ok: true } | { ok: false; detail: string };

const MAX_CHAIN_BYTES = 64 * 1024;
const FETCH_TIMEOUT_MS = 3000;
const MAX_CACHED_CHAINS = 16;

/**
 * Amazon's rules for `SignatureCertChainUrl`: https, host s3.amazonaws.com (any case), port 443 when one is
 * given, and a path that still starts with `/echo.api/` once `..` and `.` segments are resolved.
 */
export function checkChainUrl(value: string | undefined): CheckResult {
  if (!value) return { ok: false, detail: 'missing SignatureCertChainUrl' };
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return { ok: false, detail: 'SignatureCertChainUrl is not a URL' };
  }
  // URL lower-cases scheme and host, drops the default port and resolves dot segments.
  if (url.protocol !== 'https:') return { ok: false, detail: 'SignatureCertChainUrl must use https' };
  if (url.hostname !== 's3.amazonaws.com')
    return { ok: false, detail: 'SignatureCertChainUrl host must be s3.amazonaws.com' };
  if (url.port !== '' && url.port !== '443')
    return { ok: false, detail: 'SignatureCertChainUrl port must be 443' };
  if (url.username || url.password) return { ok: false, detail: 'SignatureCertChainUrl has credentials' };
  if (!url.pathname.startsWith('/echo.api/'))
    return { ok: false, detail: 'SignatureCertChainUrl path must start with /echo.api/' };
  return { ok: true };
}

/** The certificates of a PEM bundle, in order (Amazon's: the signing certificate first). */
export function parsePemChain(pem: string): X509Certificate[] {
  const blocks = pem.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
  return blocks.map((block) => new X509Certificate(block));
}

/**
 * Checks a signing chain: every certificate within its validity dates, the first one issued for
 * `echo-api.amazon.com`, each signed by the next (which must be a CA), and the last one signed by (or
 * being) a trusted root.
 */
export function checkChain(
  chain: readonly X509Certificate[],
  trustedRoots: readonly X509Certificate[],
  now: number,
): CheckResult {
  const leaf = chain[0];
  if (!leaf) return { ok: false, detail: 'empty certificate chain' };
  for (const cert of chain) {
    if (now < Date.parse(cert.validFrom) || now > Date.parse(cert.validTo))
      return { ok: false, detail: `certificate ${cert.subject.replace(/\n/g, ', ')} is not valid now` };
  }
  if (!hasDnsName(leaf, ALEXA_SIGNING_SAN))
    return { ok: false, detail: `signing certificate is not issued for ${ALEXA_SIGNING_SAN}` };
  for (let i = 0; i + 1 < chain.length; i += 1) {
    const [cert, issuer] = [chain[i], chain[i + 1]];
    if (!issuer.ca || !cert.checkIssued(issuer) || !cert.verify(issuer.publicKey))
      return { ok: false, detail: `certificate ${i} is not signed by certificate ${i + 1}` };
  }
  const last = chain[chain.length - 1];
  const anchored = trustedRoots.some(
    (root) =>
      root.fingerprint256 === last.fingerprint256 ||
      (root.ca && last.checkIssued(root) && last.verify(root.publicKey) && withinDates(root, now)),
  );
  return anchored ? { ok: true } : { ok: false, detail: 'certificate chain does not lead to a trusted root' };
}

function withinDates(cert: X509Certificate, now: number): boolean {
  return now >= Date.parse(cert.validFrom) && now <= Date.parse(cert.validTo);
}

/** True when the certificate's subject alternative names list `name` as a DNS name (exactly, any case). */
export function hasDnsName(cert: X509Certificate, name: string): boolean {
  const names = (cert.subjectAltName ?? '').split(/,\s*/);
  return names.some((entry) => entry.toLowerCase() === `dns:${name}`);
}

let mozillaRoots: X509Certificate[] | undefined;

/** The Mozilla root store bundled with Node (`tls.rootCertificates`), parsed once. */
export function bundledRoots(): X509Certificate[] {
  mozillaRoots ??= rootCertificates.map((pem) => new X509Certificate(pem));
  return mozillaRoots;
}

/** Downloads a chain over https with a time and size limit. */
export const fetchChainOverHttps: ChainFetcher = async (url) => {
  const response = await fetch(url, { signal: AbortSignal.timeout(FETCH_TIMEOUT_MS), redirect: 'error' });
  if (!response.ok) throw new Error(`certificate chain download failed: HTTP ${response.status}`);
  const body = Buffer.from(await response.arrayBuffer());
  if (body.length > MAX_CHAIN_BYTES) throw new Error('certificate chain is too large');
  return body.toString('utf8');
};

export interface ChainCacheOptions {
  fetchChain: ChainFetcher;
  trustedRoots: readonly X509Certificate[];
  clock: Clock;
}

/**
 * Verified signing chains by URL, each kept until the first of its certificates expires, so a skill's requests
 * cost one download per certificate rather than one per request. Concurrent first requests share one
 * download; failures are not cached (the next request tries again).
 */
export class ChainCache {
  private readonly verified = new Map<string, { leaf: X509Certificate; expiresAt: number }>();
  private readonly inFlight = new Map<string, Promise<X509Certificate[]>>();
  /** How many downloads have been made: what tests of the cache count. */
  downloads = 0;

  constructor(private readonly options: ChainCacheOptions) {}

  /** The verified signing certificate for `url`, or why there is none. */
  async signingCertificate(
    url: string,
  ): Promise<{ ok: true; leaf: X509Certificate } | { ok: false; detail: string }> {
    const now = this.options.clock.now();
    const cached = this.verified.get(url);
    if (cached && now <= cached.expiresAt) return { ok: true, leaf: cached.leaf };
    this.verified.delete(url);
    let chain: X509Certificate[];
    try {
      chain = await this.download(url);
    } catch (error) {
      return { ok: false, detail: `certificate chain unavailable: ${(error as Error).message}` };
    }
    const checked = checkChain(chain, this.options.trustedRoots, now);
    if (!checked.ok) return checked;
    const leaf = chain[0] as X509Certificate;
    if (this.verified.size >= MAX_CACHED_CHAINS) {
      const oldest = this.verified.keys().next().value;
      if (oldest !== undefined) this.verified.delete(oldest);
    }
    const expiresAt = Math.min(...chain.map((cert) => Date.parse(cert.validTo)));
    this.verified.set(url, { leaf, expiresAt });
    return { ok: true, leaf };
  }

  private download(url: string): Promise<X509Certificate[]> {
    const running = this.inFlight.get(url);
    if (running) return running;
    this.downloads += 1;
    const started = this.options
      .fetchChain(url)
      .then(parsePemChain)
      .finally(() => this.inFlight.delete(url));
    this.inFlight.set(url, started);
    return started;
  }
}
