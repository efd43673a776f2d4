import {
  ActivityTypes,
  CardFactory,
  InputHints,
  type Activity,
  type Attachment,
  type CardAction,
} from 'botbuilder';
import type { ChannelCapabilities } from '../../core/connector';
import { degradeReplies } from '../../core/degrade';
import type { Button, Card, Reply } from '../../core/message';

/**
 * What Bot Framework channels carry. Each channel (Teams, Slack, Web Chat…) shows what it can of an
 * activity itself: suggested actions, hero cards, attachments, `speak` SSML and input hints.
 */
export const BOTFRAMEWORK_CAPABILITIES: ChannelCapabilities = {
  text: true,
  buttons: true,
  cards: true,
  speech: 'ssml',
  audio: true,
  media: true,
  push: true,
  typing: true,
  endSession: true,
};

/** Replies as Bot Framework message activities, after degrading them to what the channels carry. */
export function renderActivities(replies: readonly Reply[]): Partial<Activity>[] {
  return degradeReplies(replies, BOTFRAMEWORK_CAPABILITIES).map(toActivity);
}

function toActivity(reply: Reply): Partial<Activity> {
  const activity: Partial<Activity> = {
    type: ActivityTypes.Message,
    text: reply.text,
    inputHint: inputHint(reply),
  };
  if (reply.speech) activity.speak = reply.speech;
  if (reply.buttons?.length) activity.suggestedActions = { to: [], actions: reply.buttons.map(imBack) };
  const attachments: Attachment[] = [
    ...(reply.cards ?? []).map(heroCard),
    ...(reply.media ?? []).map((item) => ({
      contentType: item.contentType,
      contentUrl: item.url,
      ...(item.altText ? { name: item.altText } : {}),
    })),
  ];
  if (attachments.length > 0) {
    activity.attachments = attachments;
    if ((reply.cards?.length ?? 0) > 1) activity.attachmentLayout = 'carousel';
  }
  if (reply.from === 'agent' && reply.agentName)
    activity.channelData = { parley: { from: 'agent', agentName: reply.agentName } };
  return activity;
}

/** The channel keeps the microphone open (voice) or closed by what the reply expects. */
function inputHint(reply: Reply): InputHints {
  if (reply.endSession) return InputHints.IgnoringInput;
  if (reply.expectInput) return InputHints.ExpectingInput;
  return InputHints.AcceptingInput;
}

/** A button whose payload comes back as the customer's message, the way Parley's buttons work everywhere. */
function imBack(button: Button): CardAction {
  return { type: 'imBack', title: button.title, value: button.payload };
}

function heroCard(card: Card): Attachment {
  const actions: CardAction[] = [
    ...(card.url ? [{ type: 'openUrl', title: 'Open', value: card.url }] : []),
    ...(card.buttons ?? []).map(imBack),
  ];
  return CardFactory.heroCard(
    card.title,
    card.text ?? '',
    card.imageUrl ? [card.imageUrl] : [],
    actions,
    card.url ? { tap: { type: 'openUrl', title: card.title, value: card.url } } : {},
  );
}

/** The typing indicator a channel shows while a turn takes its time. */
export const TYPING: Partial<Activity> = { type: ActivityTypes.Typing };
