import { HEADERS, signWebhook } from '../handoff/export/webhook';

/** What an external agent hub is told when a customer is erased: their cases, no personal data. */
export interface ErasureNotice {
  event: 'customer.erased';
  /** The audit trail's pseudonym of the customer (`customerRefFor`). */
  customerRef: string;
  /** The cases the hub may hold copies of: it must erase them too. */
  caseIds: string[];
  at: number;
}

export interface ErasureNoticeOptions {
  url: string;
  secret: string;
  fetch?: typeof fetch;
  timeoutMs?: number;
}

/**
 * Sends the notice signed like every hub webhook (`X-Parley-Signature` over `<timestamp>.<body>`), with
 * an idempotency key per customer so a retried erasure is processed once. Resolves the HTTP status;
 * rejects when the hub cannot be reached or answers with an error, so the erasure report shows it.
 */
export async function sendErasureNotice(
  notice: ErasureNotice,
  options: ErasureNoticeOptions,
): Promise<number> {
  const body = JSON.stringify(notice);
  const timestamp = String(Math.floor(notice.at / 1000));
  const response = await (options.fetch ?? fetch)(options.url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      [HEADERS.timestamp]: timestamp,
      [HEADERS.signature]: signWebhook(options.secret, timestamp, body),
      [HEADERS.idempotencyKey]: `${notice.customerRef}:${notice.event}`,
      [HEADERS.event]: notice.event,
    },
    body,
    signal: AbortSignal.timeout(options.timeoutMs ?? 10_000),
  });
  if (!response.ok) throw new Error(`agent hub answered ${response.status} to the erasure notice`);
  return response.status;
}
