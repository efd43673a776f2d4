import type { ProactiveSender } from '../../core/ports';
import { degradeReply, offeredButtons } from '../../core/degrade';
import type { Button } from '../../core/message';
import type { Clock, Logger } from '../../core/ports';
import { TWILIO_CAPABILITIES, type TwilioChannel } from './twilio.inbound';
import { UNSUBSCRIBED_RECIPIENT, type TwilioMessagesApi } from './twilio.messages-api';
import type { TwilioState } from './twilio.state';

export interface TwilioSenderDeps {
  api: TwilioMessagesApi;
  state: TwilioState;
  logger: Logger;
  clock: Clock;
  /** Configured senders; without one, the number the customer last wrote to is used. */
  from: Partial<Record<TwilioChannel, string>>;
}

/**
 * Out-of-turn delivery for SMS and WhatsApp through Twilio's Messages API, to any number (Twilio needs no
 * open session). Nothing goes to an opted-out number. A reply counts as delivered once every one of its
 * parts (a long reply is split) was accepted; the first refusal stops the batch.
 */
export function createTwilioSender({ api, state, logger, clock, from }: TwilioSenderDeps): ProactiveSender {
  return async (target, replies) => {
    const channel = target.address.channel;
    if (channel !== 'sms' && channel !== 'whatsapp') return 0;
    // The connector keeps its state (opt-out, options offered) under its own conversation id.
    const conversationId = target.session;
    const channelUserId = target.address.userId;
    if (replies.length === 0 || (await state.isOptedOut(conversationId))) return 0;
    const sender = from[channel] ?? (await state.conversation(conversationId)).ourNumber;
    if (!sender) {
      logger.warn({ conversationId }, `no sender configured for ${channel}: out-of-turn reply not sent`);
      return 0;
    }
    const to = channel === 'whatsapp' ? `whatsapp:${channelUserId}` : channelUserId;
    let sent = 0;
    let options: Button[] = [];
    for (const reply of replies) {
      for (const part of degradeReply(reply, TWILIO_CAPABILITIES)) {
        const outcome = await api.send({ to, from: sender, body: part.text });
        if (outcome.ok) continue;
        // Twilio knows the customer replied STOP (maybe before Parley did): remember it.
        if (outcome.code === UNSUBSCRIBED_RECIPIENT) await state.optOut(conversationId, clock.now());
        await rememberOptions(sent);
        return sent;
      }
      options = offeredButtons(reply, TWILIO_CAPABILITIES);
      sent += 1;
    }
    await rememberOptions(sent);
    return sent;

    async function rememberOptions(count: number): Promise<void> {
      if (count > 0) await state.offered(conversationId, options);
    }
  };
}

/** The WhatsApp sender as Twilio wants it: `whatsapp:+15550001111`. */
export function whatsappSender(from: string): string {
  return from.startsWith('whatsapp:') || /^MG/.test(from) ? from : `whatsapp:${from}`;
}
