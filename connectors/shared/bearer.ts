/**
 * The token of an `Authorization: Bearer <token>` header, the one parser every endpoint uses: the scheme
 * is case-insensitive (RFC 9110), one token follows after spaces or tabs, and anything else (another
 * scheme, two tokens, an empty token) is undefined.
 *
 * @example
 * bearerToken('bearer abc.def'); // 'abc.def'
 * bearerToken('Basic dXNlcjpwdw=='); // undefined
 */
export function bearerToken(authorization: string | undefined): string | undefined {
  const match = /^Bearer[ \t]+([^\s]+)[ \t]*$/i.exec(authorization ?? '');
  return match?.[1];
}
