import { toRasaReply } from '../connectors/rest/rest.connector';
import type { Logger, ProactiveSender } from '../core/ports';

export interface RestCallbackOptions {
  /** Where replies are POSTed, one JSON object per reply, as Rasa's callback channel does. */
  url: string;
  logger: Logger;
  timeoutMs?: number;
  fetch?: typeof fetch;
}

/**
 * Sends agents' replies to a REST customer at once, instead of with their next request: each reply is
 * POSTed to `url` as `{ recipient_id, text, buttons? }`. A failure (network, timeout, non-2xx) stops the
 * batch; the runtime keeps the replies not yet sent for the customer's next request, so nothing is lost.
 *
 * @example
 * runtime.outbox.register('rest', createRestCallback({ url: config.restCallbackUrl, logger }));
 */
export function createRestCallback({
  url,
  logger,
  timeoutMs = 5000,
  fetch: send = fetch,
}: RestCallbackOptions): ProactiveSender {
  return async (address, replies) => {
    if (address.channel !== 'rest' || !address.userId) return 0;
    let sent = 0;
    for (const reply of replies) {
      try {
        const response = await send(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(toRasaReply(address.userId, reply)),
          signal: AbortSignal.timeout(timeoutMs),
        });
        if (!response.ok) throw new Error(`callback answered ${response.status}`);
      } catch (error) {
        logger.warn({ err: error, channel: address.channel }, 'REST callback failed');
        break;
      }
      sent += 1;
    }
    return sent;
  };
}
