import type { Reply } from '../core/message';
import type { MessageCatalogue } from '../core/messages';
import type { ChannelAddress } from '../core/ports';

/**
 * A channel where no person can join the conversation (a smart speaker) words the handoff its own way, in
 * the catalogue under its name: `<channel>.handoff.opened` (a person will call back) or
 * `<channel>.handoff.openedLinked` (a person will answer on `{channel}`, another channel the customer is
 * known on), and `<channel>.handoff.queued`. Such a notice also ends the channel's session: there is
 * nothing more to wait for there.
 */
export function handoffNotice(
  messages: MessageCatalogue,
  locale: string | undefined,
  current: ChannelAddress,
  others: readonly ChannelAddress[],
): Pick<Reply, 'text' | 'endSession'> {
  const own = `${current.channel}.handoff`;
  const elsewhere = others.find((address) => address.channel !== current.channel);
  if (elsewhere && messages.template(locale, `${own}.openedLinked`) !== undefined) {
    const channel = messages.template(locale, `channels.${elsewhere.channel}`) ?? elsewhere.channel;
    return { text: messages.text(locale, `${own}.openedLinked`, { channel }), endSession: true };
  }
  if (messages.template(locale, `${own}.opened`) !== undefined)
    return { text: messages.text(locale, `${own}.opened`), endSession: true };
  return { text: messages.text(locale, 'handoff.opened') };
}

/** What a customer hears when they speak while their case waits: the channel's own wording first. */
export function queuedNotice(
  messages: MessageCatalogue,
  locale: string | undefined,
  channel: string,
): string {
  const own = `${channel}.handoff.queued`;
  return messages.text(locale, messages.template(locale, own) !== undefined ? own : 'handoff.queued');
}
