import type { ChannelName, Reply } from '../core/message';
import type { Logger, MessageBus, Outbox, OutboxTarget, ProactiveSender } from '../core/ports';
import { parsePushed, pushTopic, toPushed } from './pushed-reply';

export interface OutboxOptions {
  bus: MessageBus;
  logger: Logger;
  /**
   * Channels without a live session (default `['rest']`): their replies go to the channel's proactive
   * sender when one is registered, and wait for the customer's next request otherwise.
   */
  heldChannels?: readonly ChannelName[];
}

/**
 * The one outbox for replies sent outside a customer's turn. It routes by where the customer can be
 * reached now, in this order:
 * 1. a proactive sender registered for the address's channel (REST callback, SMS, push notification);
 *    what it could not deliver is held;
 * 2. a held channel (no live session): held, returned with the customer's next request (`state.pending`);
 * 3. otherwise the live session, on whichever process holds it, over the message bus.
 *
 * @example
 * const outbox = createOutbox({ bus: stores.bus, logger });
 * outbox.register('rest', createRestCallback({ url, logger }));
 * const stop = await outbox.listen(sessionId, (reply) => socket.send(render(reply)));
 */
export function createOutbox(options: OutboxOptions): Outbox {
  const { bus, logger } = options;
  const held = new Set<ChannelName>(options.heldChannels ?? ['rest']);
  const senders = new Map<ChannelName, ProactiveSender>();

  async function sendProactively(
    sender: ProactiveSender,
    target: OutboxTarget,
    replies: Reply[],
  ): Promise<number> {
    try {
      const sent = await sender(target, replies);
      return Number.isInteger(sent) ? Math.min(Math.max(sent, 0), replies.length) : 0;
    } catch (error) {
      logger.warn({ err: error, conversationId: target.conversationId }, 'proactive delivery failed');
      return 0;
    }
  }

  const push = (session: string, reply: Reply) => bus.publish(pushTopic(session), toPushed(reply));

  return {
    async send(target, replies) {
      const sender = senders.get(target.address.channel);
      if (sender) return replies.slice(await sendProactively(sender, target, replies));
      if (held.has(target.address.channel)) return replies;
      for (const reply of replies) await push(target.session, reply);
      return [];
    },
    push,
    listen: (session, handler) =>
      bus.subscribe(pushTopic(session), (payload) => {
        const reply = parsePushed(payload);
        if (reply) handler(reply);
        else logger.warn({ session }, 'ignored a malformed pushed reply');
      }),
    register(channel, sender) {
      senders.set(channel, sender);
      return () => {
        if (senders.get(channel) === sender) senders.delete(channel);
      };
    },
  };
}
