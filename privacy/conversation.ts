import type { Middleware } from '../core/compose';
import type { Reply } from '../core/message';
import type { MessageCatalogue } from '../core/messages';
import type { ConsentLedger, ConsentPurpose } from '../core/privacy';
import type { CustomerDirectory, Mailer } from '../core/ports';
import { say, type TurnContext } from '../core/turn';
import { maskEmail } from '../linking/mask';
import { privacyRequestIn } from './phrases';

/** The version of the consent question's wording (`privacy.ask` in locales/): recorded with each answer. */
export const ASK_WORDING_VERSION = 'ask.v1';

export interface PrivacyConversationOptions {
  consent: Pick<ConsentLedger, 'record'>;
  messages: MessageCatalogue;
  /**
   * Whether the customer writing now is verified: the default trusts channels whose sender identity the
   * channel proves (SMS and WhatsApp numbers, delivered through Twilio's signed webhook). Web chat and
   * REST senders are not verified.
   */
  isVerified?: (ctx: TurnContext) => boolean;
  /** A link to the customer's own export (`createExportLinks(...).link`). */
  exportLink: (customerId: string) => string;
  /**
   * Sends the link to a contact point already on file for the customer (the e-mail address their
   * records hold): possession of it is the verification. Resolves the masked address it went to, or
   * undefined when there is none. Used when the channel itself does not verify the customer.
   */
  sendToContact?: (
    customerId: string,
    link: string,
    locale: string | undefined,
  ) => Promise<string | undefined>;
}

/**
 * `sendToContact` over the bot's customer records and a mailer (`linking/`'s directory and SMTP mailer).
 */
export function mailExportLink(deps: {
  directory: CustomerDirectory;
  mailer: Mailer;
  messages: MessageCatalogue;
}): NonNullable<PrivacyConversationOptions['sendToContact']> {
  return async (customerId, link, locale) => {
    const points = await deps.directory.contactPoints({ customerId, slots: {} });
    const email = points?.find((p) => p.kind === 'email');
    if (!email) return undefined;
    await deps.mailer.send({
      to: email.value,
      subject: deps.messages.text(locale, 'privacy.emailSubject'),
      text: deps.messages.text(locale, 'privacy.emailBody', { link }),
    });
    return maskEmail(email.value);
  };
}

export const VERIFIED_CHANNELS: readonly string[] = ['sms', 'whatsapp'];

/**
 * The consent question for `purpose` with yes and no buttons; the answer comes back as the button's
 * payload and is recorded by `privacyConversation` with the wording version it answered.
 *
 * @example
 * say(ctx, consentQuestion(messages, ctx.state.locale, 'marketing'));
 */
export function consentQuestion(
  messages: MessageCatalogue,
  locale: string | undefined,
  purpose: ConsentPurpose,
): Reply {
  const what = messages.text(locale, `privacy.purpose.${purpose}`);
  const payload = (answer: 'yes' | 'no') => `/consent ${purpose} ${answer} ${ASK_WORDING_VERSION}`;
  return {
    from: 'bot',
    text: messages.text(locale, 'privacy.ask', { purpose: what }),
    buttons: [
      { title: messages.text(locale, 'engine.yes'), payload: payload('yes') },
      { title: messages.text(locale, 'engine.no'), payload: payload('no') },
    ],
  };
}

/**
 * Privacy requests in the customer's own words, before the bot's flows see the message: consent given or
 * withdrawn per purpose ("stop using my data for analytics", "dejen de usar mis datos para publicidad",
 * a consent button's answer) is recorded with time, channel, locale and wording version; "send me my data"
 * answers a verified customer with a link to their export and tells anyone else how to get verified.
 * Hook it on `decide`; a conversation an agent owns is left to the agent.
 *
 * @example
 * runtime.pipeline.use('decide', privacyConversation({ consent: stores.consent, messages, exportLink }));
 */
export function privacyConversation(options: PrivacyConversationOptions): Middleware<TurnContext> {
  const isVerified = options.isVerified ?? ((ctx) => VERIFIED_CHANNELS.includes(ctx.message.channel));
  const { messages } = options;
  return async (ctx, next) => {
    const request =
      ctx.input.type === 'message' && !ctx.routedToCase && ctx.message.text
        ? privacyRequestIn(ctx.message.text)
        : undefined;
    if (!request) return next();
    const locale = ctx.state.locale ?? ctx.message.locale;
    const reply = (key: string, vars?: Record<string, string>) =>
      say(ctx, { from: 'bot', text: messages.text(locale, key, vars) });
    if (request.kind === 'data') {
      const link = options.exportLink(ctx.customerId);
      if (isVerified(ctx)) return reply('privacy.exportReady', { link });
      const sentTo = await options.sendToContact?.(ctx.customerId, link, locale);
      reply(sentTo ? 'privacy.exportSent' : 'privacy.notVerified', sentTo ? { to: sentTo } : undefined);
      return;
    }
    await options.consent.record({
      customerId: ctx.customerId,
      purpose: request.purpose,
      granted: request.granted,
      at: ctx.now,
      channel: ctx.message.channel,
      ...(locale ? { locale } : {}),
      wordingVersion: request.wordingVersion,
      source: 'conversation',
    });
    const purpose = messages.text(locale, `privacy.purpose.${request.purpose}`);
    reply(request.granted ? 'privacy.granted' : 'privacy.withdrawn', { purpose });
  };
}
