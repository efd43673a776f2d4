import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { bearerToken } from '../shared/bearer';

/**
 * Rasa's REST channel has no authentication of its own; deployments that expose it beyond a trusted
 * network set a shared token, sent as `Authorization: Bearer <token>` or, as Rasa's HTTP API accepts,
 * `?token=<token>`. Returns the reason a request is refused, or undefined when it may pass.
 */
export function checkRestToken(
  expected: string | undefined,
  request: { headers: IncomingHttpHeaders; query: URLSearchParams },
): string | undefined {
  if (!expected) return undefined;
  const given = bearerToken(request.headers.authorization) ?? request.query.get('token');
  if (!given) return 'a token is required (Authorization: Bearer <token> or ?token=<token>)';
  return sameSecret(given, expected) ? undefined : 'the token is not valid';
}

// Hash both sides first so the comparison takes the same time whatever the lengths.
function sameSecret(given: string, expected: string): boolean {
  const digest = (value: string) => createHash('sha256').update(value).digest();
  return timingSafeEqual(digest(given), digest(expected));
}
