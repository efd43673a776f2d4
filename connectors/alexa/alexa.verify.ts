import { verify as verifySignature, type X509Certificate } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import type { Clock } from '../../core/ports';
import {
  bundledRoots,
  ChainCache,
  checkChainUrl,
  fetchChainOverHttps,
  type ChainFetcher,
} from './alexa.certificates';
import { applicationIdOf, requestTime } from './alexa.request';

/** Alexa's limit on how old (or how far in the future) a request's timestamp may be. */
export const MAX_REQUEST_AGE_MS = 150_000;

export interface AlexaVerifierOptions {
  /** The skill's application id (`amzn1.ask.skill.…`): requests for any other skill are refused. */
  skillId: string;
  clock: Clock;
  /**
   * For tests only: a local CA's roots and a chain fetcher that serves its certificates. Production leaves
   * this out and trusts the Mozilla roots bundled with Node, downloading chains from Amazon's S3.
   */
  testOnly?: { trustedRoots: readonly X509Certificate[]; fetchChain: ChainFetcher };
}

export type Verdict = { ok: true; body: unknown } | { ok: false; detail: string };

export interface AlexaVerifier {
  /** Checks one request as Amazon requires, before anything of it is used. Never throws. */
  verify(headers: IncomingHttpHeaders, rawBody: Buffer): Promise<Verdict>;
  readonly chains: ChainCache;
}

/**
 * Amazon's request verification for a custom skill's HTTPS endpoint, on every request: the certificate
 * chain URL's rules, the chain itself (dates, `echo-api.amazon.com`, up to a trusted root), the
 * `Signature-256` RSA-SHA256 signature over the exact bytes received, the timestamp within 150 s, and the
 * skill id.
 *
 * @example
 * const verdict = await createAlexaVerifier({ skillId, clock }).verify(request.headers, request.rawBody);
 * if (!verdict.ok) return { status: 400, json: { error: 'invalid_request', detail: verdict.detail } };
 */
export function createAlexaVerifier(options: AlexaVerifierOptions): AlexaVerifier {
  const chains = new ChainCache({
    clock: options.clock,
    fetchChain: options.testOnly?.fetchChain ?? fetchChainOverHttps,
    trustedRoots: options.testOnly?.trustedRoots ?? bundledRoots(),
  });

  async function verify(headers: IncomingHttpHeaders, rawBody: Buffer): Promise<Verdict> {
    const chainUrl = single(headers['signaturecertchainurl']);
    const urlCheck = checkChainUrl(chainUrl);
    if (!urlCheck.ok || !chainUrl) return urlCheck.ok ? { ok: false, detail: 'missing URL' } : urlCheck;
    const signature = single(headers['signature-256']);
    if (!signature || !/^[A-Za-z0-9+/]+={0,2}$/.test(signature))
      return { ok: false, detail: 'missing or malformed Signature-256' };
    const signer = await chains.signingCertificate(chainUrl);
    if (!signer.ok) return signer;
    if (!verifySignature('sha256', rawBody, signer.leaf.publicKey, Buffer.from(signature, 'base64')))
      return { ok: false, detail: 'Signature-256 does not match the body' };

    let body: unknown;
    try {
      body = JSON.parse(rawBody.toString('utf8'));
    } catch {
      return { ok: false, detail: 'body is not JSON' };
    }
    const at = requestTime(body);
    if (at === undefined) return { ok: false, detail: 'request.timestamp missing or invalid' };
    if (Math.abs(options.clock.now() - at) > MAX_REQUEST_AGE_MS)
      return { ok: false, detail: 'request.timestamp is more than 150 seconds away' };
    if (applicationIdOf(body) !== options.skillId)
      return { ok: false, detail: 'request is for another skill' };
    return { ok: true, body };
  }

  return { verify, chains };
}

function single(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? undefined : value;
}
