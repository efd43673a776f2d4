import { z } from 'zod';
import type { Logger } from '../../core/ports';

/** Twilio's error answer: `{ code, message, more_info, status }`. */
const errorBody = z.object({ code: z.number().optional(), message: z.string().optional() }).partial();
const createdBody = z.object({ sid: z.string() });

export interface TwilioMessagesApiOptions {
  /** `https://api.twilio.com` (a local server in tests). */
  apiUrl: string;
  accountSid: string;
  authToken: string;
  logger: Logger;
  /** Attempts per message, the first included, on 429, 5xx and network errors. */
  maxAttempts?: number;
  /** First back-off; doubled on every retry. Twilio's `Retry-After` wins when it says more. */
  baseDelayMs?: number;
  /** The longest wait between two attempts (a `Retry-After` beyond it is cut to it). */
  maxDelayMs?: number;
  timeoutMs?: number;
  fetch?: typeof fetch;
  sleep?: (ms: number) => Promise<void>;
}

/** What one send came to: Twilio's message SID, or why not (Twilio's error code when it gave one). */
export type SendOutcome = { ok: true; sid: string } | { ok: false; status?: number; code?: number };

/** Twilio's error for a recipient who replied STOP: the carrier or Twilio blocks the number. */
export const UNSUBSCRIBED_RECIPIENT = 21610;

export interface TwilioMessagesApi {
  /** Creates one message (`POST /2010-04-01/Accounts/{sid}/Messages.json`), retrying within bounds. */
  send(message: { to: string; from: string; body: string }): Promise<SendOutcome>;
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * A small client for Twilio's Messages API: basic auth with the account SID and auth token, a form body,
 * a JSON answer. 429 (Twilio's rate limit) and 5xx are retried with exponential back-off, honouring
 * `Retry-After`, at most `maxAttempts` times; any other 4xx is final.
 */
export function createTwilioMessagesApi({
  apiUrl,
  accountSid,
  authToken,
  logger,
  maxAttempts = 4,
  baseDelayMs = 500,
  maxDelayMs = 10_000,
  timeoutMs = 10_000,
  fetch: post = fetch,
  sleep = defaultSleep,
}: TwilioMessagesApiOptions): TwilioMessagesApi {
  const url = `${apiUrl.replace(/\/+$/, '')}/2010-04-01/Accounts/${encodeURIComponent(accountSid)}/Messages.json`;
  const authorization = `Basic ${Buffer.from(`${accountSid}:${authToken}`).toString('base64')}`;

  async function attempt(form: URLSearchParams): Promise<SendOutcome & { retryAfterMs?: number }> {
    let response: Response;
    try {
      response = await post(url, {
        method: 'POST',
        headers: {
          authorization,
          'content-type': 'application/x-www-form-urlencoded',
          accept: 'application/json',
        },
        body: form.toString(),
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (error) {
      logger.warn({ err: error }, 'Twilio Messages API unreachable');
      return { ok: false };
    }
    const json = await response.json().catch(() => undefined);
    if (response.ok) {
      const created = createdBody.safeParse(json);
      return created.success ? { ok: true, sid: created.data.sid } : { ok: true, sid: '' };
    }
    const error = errorBody.safeParse(json);
    const code = error.success ? error.data.code : undefined;
    const retryAfterMs = retryAfter(response.headers.get('retry-after'));
    logger.warn({ status: response.status, code }, 'Twilio Messages API refused a message');
    return {
      ok: false,
      status: response.status,
      ...(code !== undefined ? { code } : {}),
      ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
    };
  }

  return {
    async send({ to, from, body }) {
      // A Messaging Service SID goes in its own field; Twilio picks the number.
      const sender = /^MG[0-9a-fA-F]{32}$/.test(from) ? 'MessagingServiceSid' : 'From';
      const form = new URLSearchParams({ To: to, [sender]: from, Body: body });
      for (let tries = 1; ; tries += 1) {
        const { retryAfterMs, ...outcome } = await attempt(form);
        if (outcome.ok || !retryable(outcome.status) || tries >= maxAttempts) return outcome;
        const backOff = baseDelayMs * 2 ** (tries - 1);
        await sleep(Math.min(maxDelayMs, Math.max(backOff, retryAfterMs ?? 0)));
      }
    },
  };
}

/** Rate limits, server errors and network failures (no status) may pass on a later try. */
function retryable(status: number | undefined): boolean {
  return status === undefined || status === 429 || status >= 500;
}

/** `Retry-After` in seconds (or an HTTP date) as milliseconds. */
function retryAfter(header: string | null): number | undefined {
  if (!header) return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}
