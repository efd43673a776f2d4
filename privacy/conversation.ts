import type { Middleware } from '../core/compose';
import type { Reply } from '../core/message';
import type { MessageCatalogue } from '../core/messages';
import type { ConsentLedger, ConsentPurpose } from '../core/privacy';
import { say, type TurnContext } from '../core/turn';
import type { CodeDestination } from './code-delivery';
import { ExportCodes } from './export-codes';
import { privacyRequestIn } from './phrases';

/** The version of the consent question's wording (`privacy.ask` in locales/): recorded with each answer. */
export const ASK_WORDING_VERSION = 'ask.v1';

export interface PrivacyConversationOptions {
  consent: Pick<ConsentLedger, 'record'>;
  messages: MessageCatalogue;
  /** A link to the customer's own export (`createExportLinks(...).link`). */
  exportLink: (customerId: string) => string;
  /** The one-time codes that stand between the request and the export. */
  codes: ExportCodes;
  /**
   * Sends a code where only the customer can read it (`deliverExportCode`): resolves where it went,
   * `here` when the chat itself proves who is writing, undefined when there is nowhere to send it.
   */
  sendCode: (
    ctx: TurnContext,
    code: string,
    locale: string | undefined,
  ) => Promise<CodeDestination | undefined>;
}

/** What the transcript keeps of a message that was an export code (right or wrong). */
export const CODE_WITHHELD = '[one-time code]';

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
 * a consent button's answer) is recorded with time, channel, locale and wording version. "Send me my
 * data" sends a one-time code to a channel that proves it is the customer (`sendCode`); the customer
 * types it back and only then gets the link to their export. Wrong codes count down to the code's death,
 * expired ones are refused, and the code never reaches the transcript. Hook it on `decide`; a conversation
 * an agent owns is left to the agent.
 *
 * @example
 * runtime.pipeline.use('decide', privacyConversation({ consent, messages, exportLink, codes, sendCode }));
 */
export function privacyConversation(options: PrivacyConversationOptions): Middleware<TurnContext> {
  const { messages, codes } = options;
  return async (ctx, next) => {
    const text = ctx.input.type === 'message' && !ctx.routedToCase ? ctx.message.text : undefined;
    if (text === undefined) return next();
    const locale = ctx.state.locale ?? ctx.message.locale;
    const reply = (key: string, vars?: Record<string, string>) =>
      say(ctx, { from: 'bot', text: messages.text(locale, key, vars) });
    if (ExportCodes.looksLikeCode(text)) {
      const checked = await codes.check(ctx.customerId, text);
      if (checked.outcome !== 'none') {
        withholdInbound(ctx);
        if (checked.outcome === 'accepted')
          return reply('privacy.exportReady', { link: options.exportLink(ctx.customerId) });
        if (checked.outcome === 'rejected')
          return reply('privacy.codeWrong', { left: String(checked.triesLeft) });
        return reply(checked.outcome === 'expired' ? 'privacy.codeExpired' : 'privacy.codeLocked');
      }
    }
    const request = privacyRequestIn(text);
    if (!request) return next();
    if (request.kind === 'data') return sendExportCode(ctx, options, locale, reply);
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

async function sendExportCode(
  ctx: TurnContext,
  options: PrivacyConversationOptions,
  locale: string | undefined,
  reply: (key: string, vars?: Record<string, string>) => void,
): Promise<void> {
  const issued = await options.codes.issue(ctx.customerId);
  if (!issued.ok) return reply('privacy.codeRateLimited');
  const sent = await options.sendCode(ctx, issued.code, locale);
  if (!sent) return reply('privacy.notVerified');
  if (sent.via !== 'here') return reply('privacy.codeSent', { to: sent.to });
  reply('privacy.codeHere', { code: issued.code });
  // The customer sees the code; the transcript (read by agents) does not.
  const line = ctx.entries.at(-1);
  if (line?.text) line.text = line.text.split(issued.code).join(CODE_WITHHELD);
}

/** The customer's message was a code: the transcript keeps that it came, not what it was. */
function withholdInbound(ctx: TurnContext): void {
  for (const entry of ctx.entries)
    if (entry.speaker === 'customer' && entry.text !== undefined) entry.text = CODE_WITHHELD;
}
