/**
 * What a channel-supplied identifier (a sender, a message id, a session or case id) may look like. Ids end up
 * in store keys, bus topics, logs and URLs, so they are checked at the edge: bounded length, well-formed
 * Unicode (no lone UTF-16 surrogate, which cannot be encoded as UTF-8 or URI-encoded), and no control,
 * formatting or line-separator characters (which would let an id rewrite a log line or hide in one).
 *
 * @example
 * const problem = identifierProblem(body.sender);
 * if (problem) return { status: 400, json: { error: 'invalid_request', detail: `sender: ${problem}` } };
 */

export const MAX_IDENTIFIER_CHARS = 128;

// Cc control, Cf format (bidi overrides, zero-width), Zl/Zp line and paragraph separators.
const FORBIDDEN = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/u;

/** A high surrogate not followed by a low one, or a low one not preceded by a high one. */
export const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** `String.prototype.isWellFormed` (Node 20), spelled out because the project's `lib` is ES2023. */
export function isWellFormedUnicode(value: string): boolean {
  LONE_SURROGATE.lastIndex = 0;
  return !LONE_SURROGATE.test(value);
}

/** Why `value` is not an acceptable identifier, or undefined when it is. */
export function identifierProblem(value: string, maxChars = MAX_IDENTIFIER_CHARS): string | undefined {
  if (value.length === 0) return 'must not be empty';
  if (value.length > maxChars) return `must be at most ${maxChars} characters`;
  if (!isWellFormedUnicode(value)) return 'must be well-formed Unicode (it has a lone UTF-16 surrogate)';
  if (FORBIDDEN.test(value)) return 'must not contain control, formatting or line-separator characters';
  return undefined;
}

/**
 * A time as it goes into an id Parley makes (`tick-<time>`, `deliver@<time>`): base 36, because a 13-digit
 * millisecond time passes the Luhn check one time in ten, and an id that looks like a card number is hashed
 * and answered with the card notice.
 */
export function timeForId(ms: number): string {
  return ms.toString(36);
}
