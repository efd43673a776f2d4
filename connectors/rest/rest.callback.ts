import type { Reply } from '../../core/message';
import type { Logger, ProactiveSender } from '../../core/ports';

export interface RestCallbackSenderOptions {
  /** Where replies are POSTed, one Rasa reply object per request, as Rasa's callback channel does. */
  url: string;
  logger: Logger;
  /** The REST channel's rendering: one JSON body per reply, in order. */
  render(replies: readonly Reply[], recipientId: string): object[];
  timeoutMs?: number;
  fetch?: typeof fetch;
}

/**
 * The REST channel's out-of-turn sender: each reply is POSTed to the callback URL. The first failure
 * (network, timeout, non-2xx) stops the batch; the count tells the caller which replies still wait.
 */
export function createRestCallbackSender({
  url,
  logger,
  render,
  timeoutMs = 5000,
  fetch: post = fetch,
}: RestCallbackSenderOptions): ProactiveSender {
  return async (target, replies) => {
    let sent = 0;
    for (const body of render(replies, target.address.userId)) {
      try {
        const response = await post(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(body),
          signal: AbortSignal.timeout(timeoutMs),
        });
        if (!response.ok) throw new Error(`callback answered ${response.status}`);
      } catch (error) {
        logger.warn({ err: error, conversationId: target.conversationId }, 'REST callback failed');
        break;
      }
      sent += 1;
    }
    return sent;
  };
}
