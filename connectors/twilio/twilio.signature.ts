import { createHmac, timingSafeEqual } from 'node:crypto';
import type { HttpRequest } from '../../core/http';

/** One POST parameter as Twilio sent it, decoded; repeated names stay repeated. */
export type FormParam = readonly [name: string, value: string];

/**
 * Twilio's request signature: base64(HMAC-SHA1(auth token, URL + each parameter's name and value, sorted by
 * name)). Parameters with the same name are ordered by value, as Twilio's own libraries do.
 *
 * @example
 * twilioSignature(token, 'https://bot.example.com/webhooks/twilio/messages', [['Body', 'hi'], ['From', '+15550001111']]);
 */
export function twilioSignature(authToken: string, url: string, params: readonly FormParam[]): string {
  const sorted = [...params].sort(([a, av], [b, bv]) => compare(a, b) || compare(av, bv));
  const data = url + sorted.map(([name, value]) => name + value).join('');
  return createHmac('sha1', authToken).update(data, 'utf8').digest('base64');
}

function compare(a: string, b: string): number {
  if (a === b) return 0;
  return a < b ? -1 : 1;
}

/** True when `signature` is the one `twilioSignature` computes; compared in constant time. */
export function isValidTwilioSignature(
  authToken: string,
  url: string,
  params: readonly FormParam[],
  signature: string | undefined,
): boolean {
  if (!signature) return false;
  const expected = Buffer.from(twilioSignature(authToken, url, params));
  const given = Buffer.from(signature);
  // timingSafeEqual needs equal lengths; a length mismatch says nothing about the token.
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/**
 * The URL Twilio called, as it signed it: `publicUrl` (Parley's public base URL behind a proxy) or the
 * request's own Host, plus the path and the query exactly as received.
 */
export function signedUrl(request: HttpRequest, publicUrl: string | undefined): string {
  const query = request.query.toString();
  const pathAndQuery = `${request.path}${query ? `?${query}` : ''}`;
  if (publicUrl) return `${publicUrl.replace(/\/+$/, '')}${pathAndQuery}`;
  const forwarded = firstHeader(request.headers['x-forwarded-proto']);
  const scheme = forwarded === 'https' ? 'https' : 'http';
  return `${scheme}://${firstHeader(request.headers.host) ?? 'localhost'}${pathAndQuery}`;
}

function firstHeader(value: string | string[] | undefined): string | undefined {
  const first = Array.isArray(value) ? value[0] : value;
  return first?.split(',')[0]?.trim();
}

/** `application/x-www-form-urlencoded` bytes as decoded parameters, in order. */
export function parseForm(body: Buffer | string): FormParam[] {
  const text = typeof body === 'string' ? body : body.toString('utf8');
  return [...new URLSearchParams(text)];
}
