/**
 * Shape limits for JSON that arrived from outside (a request body, a WebSocket frame), checked right after
 * `JSON.parse` and before any schema walks it. Schema validators recurse, so a 64 KB body of `[[[[…` can
 * overflow the stack in them; this walk is iterative and stops at the first limit it meets.
 *
 * @example
 * const exceeded = checkJsonLimits(JSON.parse(text));
 * if (exceeded) return { status: 400, json: { error: 'json_limit_exceeded', detail: exceeded.detail } };
 */

export interface JsonLimits {
  /** Nesting of objects and arrays; a scalar at top level is depth 0, `{}` is depth 1. */
  maxDepth: number;
  /** Keys of one object, or items of one array. */
  maxEntries: number;
  /** Characters (UTF-16 code units) of one string, keys included. */
  maxStringChars: number;
}

// Strings are bounded again by each schema; this cap matters where a body limit is raised above 64 KB.
export const DEFAULT_JSON_LIMITS: JsonLimits = { maxDepth: 32, maxEntries: 1000, maxStringChars: 64 * 1024 };

export interface JsonLimitExceeded {
  limit: keyof JsonLimits;
  /** A sentence naming the limit and where it was met, safe to send back to the client. */
  detail: string;
}

/** Returns the first limit `value` exceeds, or undefined when it is within all of them. Never throws. */
export function checkJsonLimits(
  value: unknown,
  limits: JsonLimits = DEFAULT_JSON_LIMITS,
): JsonLimitExceeded | undefined {
  const stack: Array<{ value: unknown; depth: number; path: string }> = [{ value, depth: 0, path: '' }];
  while (stack.length > 0) {
    const item = stack.pop() as { value: unknown; depth: number; path: string };
    const where = item.path === '' ? 'the top level' : item.path;
    if (typeof item.value === 'string') {
      if (item.value.length > limits.maxStringChars) {
        return exceeded(
          'maxStringChars',
          `a string at ${where} is longer than ${limits.maxStringChars} characters`,
        );
      }
      continue;
    }
    if (item.value === null || typeof item.value !== 'object') continue;
    const depth = item.depth + 1;
    if (depth > limits.maxDepth) {
      return exceeded('maxDepth', `JSON is nested deeper than ${limits.maxDepth} levels (at ${where})`);
    }
    const count = Array.isArray(item.value) ? item.value.length : Object.keys(item.value).length;
    if (count > limits.maxEntries) {
      return exceeded('maxEntries', `${where} has more than ${limits.maxEntries} entries`);
    }
    for (const [key, child] of Object.entries(item.value)) {
      if (key.length > limits.maxStringChars) {
        return exceeded(
          'maxStringChars',
          `a key at ${where} is longer than ${limits.maxStringChars} characters`,
        );
      }
      stack.push({ value: child, depth, path: joinPath(item.path, key) });
    }
  }
  return undefined;
}

// Paths are for the message only: cap them so a deep document cannot make the detail itself huge.
const MAX_PATH_CHARS = 80;

function joinPath(parent: string, key: string): string {
  if (parent.length >= MAX_PATH_CHARS) return parent.endsWith('…') ? parent : `${parent}.…`;
  const shownKey = key.length > 20 ? `${key.slice(0, 20)}…` : key;
  return parent === '' ? shownKey : `${parent}.${shownKey}`;
}

function exceeded(limit: keyof JsonLimits, detail: string): JsonLimitExceeded {
  return { limit, detail: `${detail} (limit ${limit})` };
}

export type LimitedParse =
  { ok: true; value: unknown } | { ok: false; reason: 'invalid_json' | 'limit'; detail: string };

/** `JSON.parse` followed by `checkJsonLimits`, for frames and bodies; never throws. */
export function parseJsonWithin(text: string, limits: JsonLimits = DEFAULT_JSON_LIMITS): LimitedParse {
  let value: unknown;
  try {
    value = JSON.parse(text) as unknown;
  } catch {
    return { ok: false, reason: 'invalid_json', detail: 'not valid JSON' };
  }
  const exceeded = checkJsonLimits(value, limits);
  if (exceeded) return { ok: false, reason: 'limit', detail: exceeded.detail };
  return { ok: true, value };
}
