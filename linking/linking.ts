import type { Middleware } from '../core/compose';
import type { DialogEngine, DialogTurnInfo } from '../core/dialog';
import type { JsonObject } from '../core/json';
import type { Message, Reply } from '../core/message';
import type { MessageCatalogue } from '../core/messages';
import type {
  ChannelAddress,
  Clock,
  ContactPoint,
  CustomerDirectory,
  Logger,
  Mailer,
  Outbox,
  Stores,
} from '../core/ports';
import { CustomerNotFoundError } from '../core/ports';
import { note, say, type TurnContext } from '../core/turn';
import { publishCase } from '../handoff/case-events';
import { formatToken, LinkCodes, type LinkCodesOptions, type LinkGrant } from './link-codes';
import { maskEmail, maskPhone } from './mask';

/** The transcript events of linking. */
export const LINKED_EVENT = 'channel.linked';
export const REJECTED_EVENT = 'channel.link_refused';
export const UNLINKED_EVENT = 'channel.unlinked';

export interface LinkingDeps {
  stores: Pick<Stores, 'identities' | 'keyValue' | 'turns' | 'cases' | 'bus'>;
  outbox: Pick<Outbox, 'send'>;
  /** The bot's customer records; without it no code can be sent (a shown code still works). */
  directory?: CustomerDirectory;
  /** E-mails codes when the customer has no phone on file (or no SMS channel runs). */
  mailer?: Mailer;
  /** The SMS channel that texts codes: its name and the connector's session for a number. */
  sms?: { channel: string; session: (phone: string) => string };
  /** Where a customer sends a shown code: the business's SMS/WhatsApp number. */
  number?: string;
  /** The dialog engine, as the runtime currently uses it: resumes the flow under way after linking. */
  dialog: Pick<DialogEngine, 'step'>;
  messages: MessageCatalogue;
  clock: Clock;
  logger: Logger;
  defaultLocale?: string;
  companyName?: string;
  codes?: Omit<LinkCodesOptions, 'store' | 'locks' | 'clock'>;
}

/** What the flow's `sendLinkCode` look-up answers (its `status` drives the flow). */
export type SendOutcome =
  | { status: 'sent'; via: 'sms' | 'email'; to: string }
  | { status: 'not_verified' | 'no_contact' | 'rate_limited' | 'failed' };

/**
 * Verified channel linking. A customer proves a new address is theirs by sending, from it, a one-time code
 * they received on something already theirs (a phone or e-mail address on file, or the chat they are in);
 * only then is the address linked, and their conversation (flow, case, transcript) continues there.
 *
 * @example
 * const linking = createLinking({ stores, outbox, directory, dialog, messages, clock, logger });
 * runtime.pipeline.use('decide', linking.decideHook);
 * const handle = (message) => linking.handle(message, (m) => runtime.pipeline.handle(m));
 */
export function createLinking(deps: LinkingDeps) {
  const { stores, clock, messages } = deps;
  const codes = new LinkCodes({ ...deps.codes, store: stores.keyValue, locks: stores.turns, clock });
  // Messages this process rewrote into link events, so a channel can never forge one.
  const marked = new Map<string, 'accepted' | 'rejected' | 'locked'>();
  const markOf = (m: Message) => `${m.channel}\u0000${m.channelUserId}\u0000${m.messageId}`;
  const company = deps.companyName ?? 'our';

  async function sendCode(turn: DialogTurnInfo, slots: JsonObject): Promise<SendOutcome> {
    const points = await deps.directory?.contactPoints({ customerId: turn.customerId, slots });
    if (!points) return { status: 'not_verified' };
    const grant = { customerId: turn.customerId, conversationId: turn.conversationId };
    const phone = deps.sms ? points.find((p) => p.kind === 'phone') : undefined;
    if (phone) return textCode(phone, grant, turn.locale);
    const email = deps.mailer ? points.find((p) => p.kind === 'email') : undefined;
    if (email) return mailCode(email, grant, turn.locale);
    // On file, but this server can neither text nor e-mail.
    return points.length ? { status: 'failed' } : { status: 'no_contact' };
  }

  async function textCode(
    phone: ContactPoint,
    grant: Omit<LinkGrant, 'via'>,
    locale: string,
  ): Promise<SendOutcome> {
    const sms = deps.sms;
    if (!sms) return { status: 'failed' };
    const issued = await codes.issueForPhone(phone.value, { ...grant, via: 'sms' });
    if (!issued.ok) return { status: 'rate_limited' };
    const text = messages.text(locale, 'linking.smsBody', { code: issued.code, company });
    const target = {
      conversationId: grant.conversationId,
      address: { channel: sms.channel, userId: phone.value },
      session: sms.session(phone.value),
    };
    const held = await deps.outbox.send(target, [{ from: 'system', text }]);
    return held.length ? { status: 'failed' } : { status: 'sent', via: 'sms', to: maskPhone(phone.value) };
  }

  async function mailCode(
    email: ContactPoint,
    grant: Omit<LinkGrant, 'via'>,
    locale: string,
  ): Promise<SendOutcome> {
    const issued = await codes.issueToken({ ...grant, via: 'email' }, email.value);
    if (!issued.ok) return { status: 'rate_limited' };
    const code = formatToken(issued.code);
    try {
      await deps.mailer?.send({
        to: email.value,
        subject: messages.text(locale, 'linking.emailSubject', { company }),
        text: messages.text(locale, 'linking.emailBody', { code, company }),
      });
    } catch (error) {
      deps.logger.warn({ err: error, conversationId: grant.conversationId }, 'link code e-mail not sent');
      return { status: 'failed' };
    }
    return { status: 'sent', via: 'email', to: maskEmail(email.value) };
  }

  /** A token shown in the chat the customer is in, to send from the new channel. */
  async function showCode(turn: DialogTurnInfo): Promise<JsonObject> {
    const grant = { customerId: turn.customerId, conversationId: turn.conversationId, via: 'shown' as const };
    const issued = await codes.issueToken(grant);
    if (!issued.ok) return { status: 'rate_limited' };
    const code = formatToken(issued.code);
    const number = deps.number ?? '';
    const whatsapp = number
      ? `https://wa.me/${number.replace(/\D/g, '')}?text=${encodeURIComponent(`LINK ${code}`)}`
      : '';
    return { status: 'shown', code, number, whatsapp };
  }

  /**
   * "Unlink this number": from a linked address, detaches it; from the address the conversation began on,
   * detaches every other one. Resolves how many were detached.
   */
  async function unlinkFromTurn(turn: DialogTurnInfo): Promise<JsonObject> {
    const current = { channel: turn.channel, userId: turn.channelUserId ?? '' };
    const all = await stores.identities.addresses(turn.customerId);
    const isOrigin = `${current.channel}:${current.userId}` === turn.customerId;
    const detach = isOrigin ? all.filter((a) => !same(a, current)) : all.filter((a) => same(a, current));
    for (const address of detach) await stores.identities.unlink(address);
    return { count: detach.length };
  }

  /** The desk's unlink: detaches `address` from the case's customer and updates the case. */
  async function unlinkFromCase(caseId: string, address: ChannelAddress): Promise<boolean> {
    const item = await stores.cases.get(caseId);
    if (!item) return false;
    const known = (await stores.identities.addresses(item.customerId)).some((a) => same(a, address));
    if (!known || `${address.channel}:${address.userId}` === item.customerId) return false;
    await stores.identities.unlink(address);
    await refreshCase(caseId, item.customerId);
    return true;
  }

  /** Keeps an open case's channels and identities (what the desk shows) in step with the customer's. */
  async function refreshCase(caseId: string, customerId: string): Promise<void> {
    const addresses = await stores.identities.addresses(customerId);
    const updated = await stores.cases.update(caseId, (item) => ({
      ...item,
      channels: [...new Set([...item.channels, ...addresses.map((a) => a.channel)])],
      updatedAt: clock.now(),
      package: {
        ...item.package,
        customer: {
          ...item.package.customer,
          identities: addresses.map((a) => ({ channel: a.channel, id: a.userId })),
        },
      },
    }));
    await publishCase(stores.bus, updated);
  }

  /**
   * Runs before the pipeline resolves who wrote: a valid code links the sender's address first, so the
   * message continues the customer's conversation. A code attempt never reaches the NLU or the transcript
   * as text; it enters as a link event.
   */
  async function handle(message: Message, next: (message: Message) => Promise<Reply[]>): Promise<Reply[]> {
    if (message.text === undefined || (message.kind !== 'text' && message.kind !== 'speech'))
      return next(message);
    const address = { channel: message.channel, userId: message.channelUserId };
    let outcome = await codes.redeem(address, message.text);
    if (outcome.outcome === 'none') return next(message);
    if (outcome.outcome === 'accepted') {
      try {
        await stores.identities.link(address, outcome.grant.customerId);
      } catch (error) {
        if (!(error instanceof CustomerNotFoundError)) throw error;
        outcome = { outcome: 'rejected' };
      }
    }
    const event = outcome.outcome === 'accepted' ? LINKED_EVENT : REJECTED_EVENT;
    const { text: _text, label: _label, speech: _speech, ...rest } = message;
    const rewritten: Message = { ...rest, kind: 'event', event };
    marked.set(markOf(rewritten), outcome.outcome);
    try {
      return await next(rewritten);
    } finally {
      marked.delete(markOf(rewritten));
    }
  }

  /** Answers the link events `handle` made: confirms and resumes the flow, or refuses. */
  const decideHook: Middleware<TurnContext> = async (ctx, next) => {
    const outcome = ctx.input.type === 'message' ? marked.get(markOf(ctx.message)) : undefined;
    if (!outcome) return next();
    const locale = ctx.state.locale ?? deps.defaultLocale ?? 'en';
    if (outcome !== 'accepted') {
      say(ctx, {
        from: 'bot',
        text: messages.text(locale, outcome === 'locked' ? 'linking.locked' : 'linking.refused'),
      });
      note(ctx, REJECTED_EVENT, { reason: outcome });
      return;
    }
    note(ctx, LINKED_EVENT, { channel: ctx.message.channel });
    if (ctx.state.caseId) {
      await refreshCase(ctx.state.caseId, ctx.customerId);
      say(ctx, { from: 'bot', text: messages.text(locale, 'linking.linkedToCase') });
      return;
    }
    say(ctx, { from: 'bot', text: messages.text(locale, 'linking.linked') });
    const turn = { ...turnOf(ctx), locale };
    const resumed = await deps.dialog.step(ctx.state.dialog, { type: 'resume' }, turn);
    ctx.state.dialog = resumed.state;
    for (const event of resumed.events) note(ctx, event.event, event.data);
    for (const reply of resumed.replies) say(ctx, reply);
  };

  return { sendCode, showCode, unlinkFromTurn, unlinkFromCase, handle, decideHook, codes };
}

export type Linking = ReturnType<typeof createLinking>;

function turnOf(ctx: TurnContext): DialogTurnInfo {
  return {
    conversationId: ctx.message.conversationId,
    customerId: ctx.customerId,
    channel: ctx.message.channel,
    channelUserId: ctx.message.channelUserId,
    locale: ctx.state.locale ?? 'en',
    now: ctx.now,
  };
}

function same(a: ChannelAddress, b: ChannelAddress): boolean {
  return a.channel === b.channel && a.userId === b.userId;
}
