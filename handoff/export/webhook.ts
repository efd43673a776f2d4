import { systemClock } from '../../core/defaults';
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Case } from '../../core/case';
import type { JsonObject, JsonValue } from '../../core/json';
import type { Clock, Logger } from '../../core/ports';

/**
 * Outbound delivery of handoff packages to an external agent hub.
 *
 * Every request is a `POST` with a JSON body and these headers:
 * - `X-Parley-Timestamp`: Unix time in seconds when this attempt was signed.
 * - `X-Parley-Signature`: `sha256=` + hex HMAC-SHA256, keyed with the shared secret, of the string
 *   `<timestamp>.<raw body>` (the timestamp header value, a dot, then the body bytes exactly as sent).
 *   Receivers recompute it, compare in constant time, and refuse timestamps more than five minutes from
 *   their clock, so a captured request cannot be replayed later (`verifyWebhookSignature` does all this).
 * - `Idempotency-Key`: `<case id>:<event>`, the same on every retry and from every process: the hub
 *   processes a key once.
 * - `X-Parley-Event`: the event, e.g. `case.created`.
 */
export const HEADERS = {
  signature: 'x-parley-signature',
  timestamp: 'x-parley-timestamp',
  idempotencyKey: 'idempotency-key',
  event: 'x-parley-event',
} as const;

export const DELIVERY_FAILED_EVENT = 'handoff.delivery_failed';

/** A system line for the conversation's transcript (the runtime stamps time and channel). */
export interface DeliveryFailedLine {
  speaker: 'system';
  event: typeof DELIVERY_FAILED_EVENT;
  data: JsonObject;
}

export interface WebhookOptions {
  url: string;
  secret: string;
  logger: Logger;
  /** Records the final failure in the conversation, e.g. `(id, line) => runtime.record(id, [line])`. */
  onFailure?: (conversationId: string, line: DeliveryFailedLine) => Promise<unknown>;
  /** The JSON body for a case; default `{ event, case, package }`. */
  body?: (item: Case, event: string) => JsonValue;
  /** Attempts in all, the first included (default 6). */
  maxAttempts?: number;
  /** First back-off; doubles each retry up to `maxDelayMs` (defaults 500 ms and 30 s). */
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** A `Retry-After` longer than this is cut to it (default 5 minutes). */
  maxRetryAfterMs?: number;
  /** Per attempt (default 10 s). */
  timeoutMs?: number;
  clock?: Clock;
  sleep?: (ms: number) => Promise<void>;
  /** 0..1, for jitter. */
  random?: () => number;
  fetch?: typeof fetch;
}

export type DeliveryResult =
  | { ok: true; attempts: number; status: number }
  | { ok: false; attempts: number; status?: number; error: string };

export interface WebhookSender {
  /** Delivers one case event; never rejects: the result (and, on failure, the log and transcript) tell. */
  deliver(item: Case, event?: string): Promise<DeliveryResult>;
}

/** One attempt's outcome: whether another attempt can help, and how long the hub asked us to wait. */
interface Attempt {
  status?: number;
  error?: string;
  retryable: boolean;
  retryAfterMs?: number;
}

/** The signature header value for one attempt. */
export function signWebhook(secret: string, timestamp: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

/**
 * For receivers (and tests): checks the signature over `<timestamp>.<body>` in constant time and that the
 * timestamp is within `toleranceSeconds` of `now`.
 */
export function verifyWebhookSignature(input: {
  secret: string;
  body: string;
  timestamp: string | undefined;
  signature: string | undefined;
  now: number;
  toleranceSeconds?: number;
}): boolean {
  const { timestamp, signature } = input;
  if (!timestamp || !signature || !/^\d+$/.test(timestamp)) return false;
  if (Math.abs(input.now / 1000 - Number(timestamp)) > (input.toleranceSeconds ?? 300)) return false;
  const expected = Buffer.from(signWebhook(input.secret, timestamp, input.body));
  const given = Buffer.from(signature);
  return expected.length === given.length && timingSafeEqual(expected, given);
}

export const idempotencyKey = (item: Case, event: string): string => `${item.id}:${event}`;

const defaultBody = (item: Case, event: string): JsonValue => {
  const { package: pkg, ...rest } = item;
  return JSON.parse(JSON.stringify({ event, case: rest, package: pkg })) as JsonValue;
};

/** The options with their defaults filled in, resolved once per sender. */
interface Settings {
  url: string;
  secret: string;
  logger: Logger;
  onFailure: WebhookOptions['onFailure'];
  body: (item: Case, event: string) => JsonValue;
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  maxRetryAfterMs: number;
  timeoutMs: number;
  clock: Clock;
  sleep: (ms: number) => Promise<void>;
  random: () => number;
  fetch: typeof fetch;
  /** Logs name the hub's origin only: webhook URLs often carry a token in the path or query. */
  target: string;
}

function settle(options: WebhookOptions): Settings {
  return {
    url: options.url,
    secret: options.secret,
    logger: options.logger,
    onFailure: options.onFailure,
    body: options.body ?? defaultBody,
    maxAttempts: Math.max(1, options.maxAttempts ?? 6),
    baseDelayMs: options.baseDelayMs ?? 500,
    maxDelayMs: options.maxDelayMs ?? 30_000,
    maxRetryAfterMs: options.maxRetryAfterMs ?? 300_000,
    timeoutMs: options.timeoutMs ?? 10_000,
    clock: options.clock ?? systemClock,
    sleep: options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms))),
    random: options.random ?? Math.random,
    fetch: options.fetch ?? fetch,
    target: safeOrigin(options.url),
  };
}

/**
 * Sends a case's handoff package to an external agent hub, signed, with retries: network errors,
 * timeouts, 5xx and 429 are retried with exponential back-off and jitter (a `Retry-After` from the hub
 * wins), other 4xx are not (the request itself is wrong). When delivery finally fails it logs an error
 * and records a `handoff.delivery_failed` line in the conversation through `onFailure`.
 *
 * @example
 * const hub = createWebhookSender({ url: config.hubUrl, secret: config.hubSecret, logger,
 *   onFailure: (id, line) => runtime.record(id, [line]) });
 * await hub.deliver(item, 'case.created');
 */
export function createWebhookSender(options: WebhookOptions): WebhookSender {
  const settings = settle(options);
  return {
    async deliver(item, event = 'case.created') {
      const key = idempotencyKey(item, event);
      const payload = JSON.stringify(settings.body(item, event));
      const headers = { [HEADERS.idempotencyKey]: key, [HEADERS.event]: event };
      for (let attempts = 1; ; attempts += 1) {
        const result = await attemptOnce(settings, payload, headers);
        if (!result.error && result.status !== undefined)
          return { ok: true, attempts, status: result.status };
        if (!result.retryable || attempts >= settings.maxAttempts) {
          const error = result.error ?? 'unknown error';
          await recordFailure(settings, { item, event, key, attempts, error, status: result.status });
          return {
            ok: false,
            attempts,
            error,
            ...(result.status !== undefined ? { status: result.status } : {}),
          };
        }
        const delay = backoffDelay(settings, attempts, result.retryAfterMs);
        const fields = {
          caseId: item.id,
          event,
          target: settings.target,
          attempts,
          error: result.error,
          delay,
        };
        settings.logger.warn(fields, 'handoff webhook delivery will be retried');
        await settings.sleep(delay);
      }
    },
  };
}

/** One signed POST. The timestamp is per attempt, so a late retry still passes the hub's replay check. */
async function attemptOnce(
  settings: Settings,
  payload: string,
  headers: Record<string, string>,
): Promise<Attempt> {
  const timestamp = String(Math.floor(settings.clock.now() / 1000));
  try {
    const response = await settings.fetch(settings.url, {
      method: 'POST',
      headers: {
        ...headers,
        'content-type': 'application/json',
        [HEADERS.timestamp]: timestamp,
        [HEADERS.signature]: signWebhook(settings.secret, timestamp, payload),
      },
      body: payload,
      signal: AbortSignal.timeout(settings.timeoutMs),
    });
    // Read the body so the connection can be reused; its content does not matter.
    await response.arrayBuffer().catch(() => undefined);
    if (response.ok) return { status: response.status, retryable: false };
    const retryAfterMs = parseRetryAfter(response.headers.get('retry-after'), settings.clock.now());
    return {
      status: response.status,
      error: `HTTP ${response.status}`,
      retryable: response.status === 429 || response.status >= 500,
      ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
    };
  } catch (cause) {
    return {
      error: cause instanceof Error ? `${cause.name}: ${cause.message}` : String(cause),
      retryable: true,
    };
  }
}

function backoffDelay(settings: Settings, failed: number, retryAfterMs: number | undefined): number {
  if (retryAfterMs !== undefined) return Math.min(retryAfterMs, settings.maxRetryAfterMs);
  const ceiling = Math.min(settings.maxDelayMs, settings.baseDelayMs * 2 ** (failed - 1));
  // "Equal jitter": never less than half the step, yet retries from many processes spread out.
  return Math.round(ceiling / 2 + settings.random() * (ceiling / 2));
}

async function recordFailure(
  settings: Settings,
  failure: {
    item: Case;
    event: string;
    key: string;
    attempts: number;
    error: string;
    status: number | undefined;
  },
): Promise<void> {
  const { item, event, key, attempts, error, status } = failure;
  const data: JsonObject = {
    caseId: item.id,
    event,
    target: settings.target,
    attempts,
    error,
    idempotencyKey: key,
  };
  if (status !== undefined) data['status'] = status;
  settings.logger.error(data, 'handoff webhook delivery failed');
  try {
    await settings.onFailure?.(item.conversationId, {
      speaker: 'system',
      event: DELIVERY_FAILED_EVENT,
      data,
    });
  } catch (cause) {
    settings.logger.error({ caseId: item.id, err: cause }, 'recording the failed webhook delivery failed');
  }
}

/** `Retry-After` is either delay-seconds or an HTTP date. */
export function parseRetryAfter(value: string | null, now: number): number | undefined {
  if (!value) return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

function safeOrigin(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return 'invalid url';
  }
}
