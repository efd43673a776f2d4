import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { twilioSignature, type FormParam } from '../../connectors/twilio/twilio.signature';

export const TEST_ACCOUNT_SID = `AC${'0123456789abcdef'.repeat(2)}`;
export const TEST_AUTH_TOKEN = 'twilio-test-auth-token-0123456789';
export const OUR_NUMBER = '+15550009999';

/** One message the local Messages API accepted (or refused), as Twilio would have received it. */
export interface ApiCall {
  to: string;
  from: string;
  body: string;
  status: number;
}

/**
 * A local server that speaks Twilio's Messages API: basic auth with the account SID and token, a form body,
 * a JSON answer (201 with a `sid`, or Twilio's error shape). `failNext` queues answers for the next calls
 * (a 429 with `Retry-After`, a 500, a 400 with Twilio error 21610).
 */
export async function startFakeTwilioApi(
  accountSid = TEST_ACCOUNT_SID,
  authToken = TEST_AUTH_TOKEN,
): Promise<{
  url: string;
  calls: ApiCall[];
  failNext(...answers: { status: number; code?: number; retryAfter?: string }[]): void;
  close(): Promise<void>;
}> {
  const calls: ApiCall[] = [];
  const failures: { status: number; code?: number; retryAfter?: string }[] = [];
  let sequence = 0;
  const server: Server = createServer((req, res) => {
    let raw = '';
    req.on('data', (chunk: Buffer) => (raw += chunk.toString('utf8')));
    req.on('end', () => {
      const answer = (status: number, body: object, headers: Record<string, string> = {}) => {
        res.writeHead(status, { 'content-type': 'application/json', ...headers });
        res.end(JSON.stringify(body));
      };
      const expectedAuth = `Basic ${Buffer.from(`${accountSid}:${authToken}`).toString('base64')}`;
      if (req.headers.authorization !== expectedAuth) {
        answer(401, { code: 20003, message: 'Authenticate', status: 401 });
        return;
      }
      if (req.method !== 'POST' || req.url !== `/2010-04-01/Accounts/${accountSid}/Messages.json`) {
        answer(404, { code: 20404, message: 'The requested resource was not found', status: 404 });
        return;
      }
      if (!String(req.headers['content-type']).startsWith('application/x-www-form-urlencoded')) {
        answer(400, { code: 21601, message: 'expected a form body', status: 400 });
        return;
      }
      const form = new URLSearchParams(raw);
      const to = form.get('To') ?? '';
      const from = form.get('From') ?? form.get('MessagingServiceSid') ?? '';
      const body = form.get('Body') ?? '';
      if (!to || !from || !body) {
        answer(400, { code: 21604, message: "A 'To', 'From' and 'Body' are required", status: 400 });
        return;
      }
      const failure = failures.shift();
      if (failure) {
        calls.push({ to, from, body, status: failure.status });
        const headers: Record<string, string> = failure.retryAfter
          ? { 'retry-after': failure.retryAfter }
          : {};
        answer(
          failure.status,
          { code: failure.code ?? 20500, message: 'refused', status: failure.status },
          headers,
        );
        return;
      }
      calls.push({ to, from, body, status: 201 });
      const sid = `SM${(sequence += 1).toString(16).padStart(32, '0')}`;
      answer(201, { sid, to, from, body, status: 'queued', account_sid: accountSid });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    calls,
    failNext: (...answers) => failures.push(...answers),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** POSTs a form to the webhook as Twilio does, signed over `signUrl` (default: the URL posted to). */
export async function postSigned(
  url: string,
  params: Record<string, string>,
  options: { token?: string; signUrl?: string; signature?: string | null } = {},
): Promise<Response> {
  const pairs: FormParam[] = Object.entries(params);
  const signature =
    options.signature === undefined
      ? twilioSignature(options.token ?? TEST_AUTH_TOKEN, options.signUrl ?? url, pairs)
      : options.signature;
  return fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      ...(signature !== null ? { 'x-twilio-signature': signature } : {}),
    },
    body: new URLSearchParams(params).toString(),
  });
}

let sids = 0;
/** A fresh Twilio message SID. */
export const messageSid = (): string => `SM${(sids += 1).toString(16).padStart(32, 'a')}`;

/** The `<Message>` texts of a TwiML answer, unescaped. */
export function twimlMessages(xml: string): string[] {
  return [...xml.matchAll(/<Message>([\s\S]*?)<\/Message>/g)].map(([, text]) =>
    (text ?? '')
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&quot;/g, '"')
      .replace(/&apos;/g, "'")
      .replace(/&amp;/g, '&'),
  );
}
