import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import type { Agent } from '../core/case';
import type { Clock, RevokedTokens } from '../core/ports';
import type { AgentDirectory } from './agents';
import type { SignedOutReason } from './desk.views';

/** What a valid token stands for. */
export interface VerifiedToken {
  /** The agent as the directory knows them now. */
  agent: Agent;
  /** The token's id (`jti`), what sign-out revokes. */
  tokenId: string;
  expiresAt: number;
}

/** A token's check: valid, or why not, in words the desk can show ("signed out because …"). */
export type TokenCheck = { ok: true; token: VerifiedToken } | { ok: false; reason: SignedOutReason };

/** Issues, checks and revokes bearer tokens for the desk API and socket. */
export interface TokenIssuer {
  /** A token for an agent the directory knows; throws for one it does not. */
  issue(agent: Agent): Promise<string>;
  /**
   * Undefined when the token is malformed, not in canonical base64url, forged, expired, revoked, or stands
   * for an agent who was removed or whose password changed since it was issued.
   */
  verify(token: string): Promise<VerifiedToken | undefined>;
  /** As `verify`, with the reason a token is refused. */
  check(token: string): Promise<TokenCheck>;
  /** Refuses the token from now on, on every process sharing the store, until it would have expired. */
  revoke(token: VerifiedToken): Promise<void>;
}

export interface TokenIssuerOptions {
  /** At least 16 bytes; shared by every process so a token from one works on all. */
  secret: string | Buffer;
  clock: Clock;
  directory: AgentDirectory;
  revoked: RevokedTokens;
  ttlMs?: number;
  /** Token ids; random 128-bit by default. */
  newTokenId?: () => string;
}

const MAX_TOKEN_CHARS = 2048;
const BASE64URL = /^[A-Za-z0-9_-]+$/;

const claims = z
  .object({
    sub: z.string(),
    jti: z.string().min(16).max(64),
    cv: z.string(),
    exp: z.number(),
    // Names the secret that signed it, so a token signed before the secret changed is told apart from a forgery.
    kid: z.string().max(32).optional(),
  })
  .strict();

/**
 * Decodes base64url only in its one canonical spelling: no padding, no other alphabet, and no stray bits
 * in the last character. Anything else is refused, so a token has exactly one accepted form.
 */
export function decodeCanonicalBase64url(text: string): Buffer | undefined {
  if (!BASE64URL.test(text)) return undefined;
  const bytes = Buffer.from(text, 'base64url');
  return bytes.toString('base64url') === text ? bytes : undefined;
}

function sameBytes(a: Buffer, b: Buffer): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * HMAC-SHA256 tokens (`payload.signature`, base64url) carrying the agent, an id and a fingerprint of the
 * agent's password hash. Checking one costs a directory look-up and a revocation look-up in the store:
 * that is what lets sign-out, password changes and removed accounts take effect on every process.
 *
 * @example
 * const tokens = createTokenIssuer({ secret, clock, directory, revoked: stores.revokedTokens });
 * const token = await tokens.issue(agent);
 * const verified = await tokens.verify(token); // { agent, tokenId, expiresAt }
 */
export function createTokenIssuer({
  secret,
  clock,
  directory,
  revoked,
  ttlMs = 12 * 60 * 60 * 1000,
  newTokenId = () => randomBytes(16).toString('base64url'),
}: TokenIssuerOptions): TokenIssuer {
  if (Buffer.byteLength(secret) < 16) throw new Error('the agent token secret needs at least 16 bytes');
  const mac = (label: string, text: string) => createHmac('sha256', secret).update(`${label}\u0000${text}`);
  const sign = (payload: string) => mac('token', payload).digest();
  // Never the password hash itself: a keyed digest of it, which changes when the password does.
  const fingerprint = (credential: string) => mac('credential', credential).digest().subarray(0, 16);

  const keyId = mac('key id', '').digest().subarray(0, 9).toString('base64url');
  const refused = (reason: SignedOutReason): TokenCheck => ({ ok: false, reason });

  function readClaims(payload: string): z.infer<typeof claims> | undefined {
    const body = decodeCanonicalBase64url(payload);
    if (!body) return undefined;
    try {
      const parsed = claims.safeParse(JSON.parse(body.toString('utf8')));
      return parsed.success ? parsed.data : undefined;
    } catch {
      return undefined;
    }
  }

  async function check(token: string): Promise<TokenCheck> {
    if (token.length > MAX_TOKEN_CHARS) return refused('malformed');
    const [payload = '', signature = '', extra] = token.split('.');
    const given = decodeCanonicalBase64url(signature);
    const parsed = readClaims(payload);
    if (extra !== undefined || !given || !parsed) return refused('malformed');
    if (!sameBytes(given, sign(payload)))
      return refused(parsed.kid === keyId ? 'malformed' : 'secret_changed');
    const { sub, jti, cv, exp } = parsed;
    if (exp <= clock.now()) return refused('expired');
    const record = await directory.find(sub);
    if (!record) return refused('agent_removed');
    const stamp = decodeCanonicalBase64url(cv);
    if (!stamp || !sameBytes(stamp, fingerprint(record.credential))) return refused('credentials_changed');
    if (await revoked.isRevoked(jti)) return refused('revoked');
    return { ok: true, token: { agent: record.agent, tokenId: jti, expiresAt: exp } };
  }

  return {
    async issue(agent) {
      const record = await directory.find(agent.username);
      if (!record) throw new Error(`no agent ${agent.username} to issue a token for`);
      const body = {
        sub: record.agent.username,
        jti: newTokenId(),
        cv: fingerprint(record.credential).toString('base64url'),
        exp: clock.now() + ttlMs,
        kid: keyId,
      };
      const payload = Buffer.from(JSON.stringify(body)).toString('base64url');
      return `${payload}.${sign(payload).toString('base64url')}`;
    },
    check,
    async verify(token) {
      const result = await check(token);
      return result.ok ? result.token : undefined;
    },
    async revoke(token) {
      await revoked.revoke(token.tokenId, token.expiresAt - clock.now());
    },
  };
}
