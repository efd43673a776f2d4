import type { MessageCatalogue } from '../core/messages';
import type { CustomerDirectory, Logger, Mailer, Outbox } from '../core/ports';
import type { TurnContext } from '../core/turn';
import { maskEmail, maskPhone } from '../linking/mask';

/** Where an export code went: texted or e-mailed to a contact point on file, or said in this very chat. */
export type CodeDestination = { via: 'sms' | 'email'; to: string } | { via: 'here' };

/** Channels whose sender the channel itself proves (a phone number, through Twilio's signed webhook). */
export const VERIFIED_CHANNELS: readonly string[] = ['sms', 'whatsapp'];

export interface CodeDeliveryDeps {
  messages: MessageCatalogue;
  /** The bot's customer records: the phone numbers and e-mail addresses it holds for the customer. */
  directory?: CustomerDirectory;
  mailer?: Mailer;
  /** Texts through the outbox when an SMS channel can send out of turn. */
  sms?: { outbox: Pick<Outbox, 'send'>; channel: string; session: (phone: string) => string };
  verifiedChannels?: readonly string[];
  logger?: Logger;
}

/**
 * Sends an export code only where the customer alone can read it, in this order: texted to the phone on
 * file, e-mailed to the address on file, or, when the customer writes from a channel that proves who they
 * are (SMS, WhatsApp), said in the chat itself. Web chat and REST senders prove nothing: without a contact
 * point on file they get no code (undefined).
 */
export function deliverExportCode(deps: CodeDeliveryDeps) {
  const verified = deps.verifiedChannels ?? VERIFIED_CHANNELS;
  return async (
    ctx: TurnContext,
    code: string,
    locale: string | undefined,
  ): Promise<CodeDestination | undefined> => {
    const points = (await deps.directory?.contactPoints({ customerId: ctx.customerId, slots: {} })) ?? [];
    const phone = points.find((p) => p.kind === 'phone');
    if (phone && deps.sms) {
      const target = {
        conversationId: ctx.message.conversationId,
        address: { channel: deps.sms.channel, userId: phone.value },
        session: deps.sms.session(phone.value),
      };
      const text = deps.messages.text(locale, 'privacy.codeSms', { code });
      const held = await deps.sms.outbox.send(target, [{ from: 'system', text }]);
      if (held.length === 0) return { via: 'sms', to: maskPhone(phone.value) };
    }
    const email = points.find((p) => p.kind === 'email');
    if (email && deps.mailer) {
      try {
        await deps.mailer.send({
          to: email.value,
          subject: deps.messages.text(locale, 'privacy.emailSubject'),
          text: deps.messages.text(locale, 'privacy.emailBody', { code }),
        });
        return { via: 'email', to: maskEmail(email.value) };
      } catch (error) {
        deps.logger?.warn({ err: error, stage: 'decide' }, 'export code e-mail not sent');
      }
    }
    return verified.includes(ctx.message.channel) ? { via: 'here' } : undefined;
  };
}
