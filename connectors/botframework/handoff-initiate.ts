import {
  ActivityTypes,
  HandoffEventNames,
  RoleTypes,
  type Activity,
  type Attachment,
  type ChannelAccount,
  type ConversationAccount,
  type ConversationReference,
} from 'botbuilder';
import type { Case, HandoffPackage } from '../../core/case';
import type { JsonObject, JsonValue } from '../../core/json';
import type { TranscriptEntry } from '../../core/transcript';

/** The attachment name and content type agent hubs look for on `handoff.initiate` (as `EventFactory` sets). */
export const TRANSCRIPT_ATTACHMENT = { name: 'Transcript', contentType: 'application/json' } as const;

export interface HandoffInitiationOptions {
  /** The bot's account in the Bot Framework conversation; `recipient` of customer lines, `from` of bot lines. */
  bot?: ChannelAccount;
  /**
   * The Bot Framework conversation this case belongs to, when the customer is on a Bot Framework channel:
   * the event then relates to it, as `EventFactory.createHandoffInitiation` does from a live turn.
   */
  reference?: Partial<ConversationReference>;
  /** Agent-hub-specific context, the event's `value`. Defaults to the case's routing and summary. */
  handoffContext?: JsonObject;
  /** Event time, epoch milliseconds. Defaults to the case's `updatedAt`: the same case gives the same event. */
  now?: number;
  /** IANA zone of `localTimezone`; default `UTC`. */
  timeZone?: string;
}

/** A Bot Framework Transcript: the `content` of the `Transcript` attachment. */
export interface BotFrameworkTranscript {
  activities: Partial<Activity>[];
}

const DEFAULT_BOT: ChannelAccount = { id: 'parley-bot', name: 'Parley', role: RoleTypes.Bot };

/**
 * Builds the Bot Framework `handoff.initiate` event for a case, for agent hubs that speak that protocol
 * (send it into the conversation with `context.sendActivity(activity)`). Same shape as botbuilder's
 * `EventFactory.createHandoffInitiation`, but deterministic (id and time come from the case) and built
 * from the handoff package, so it also works for customers who never used a Bot Framework channel. The
 * `Transcript` attachment holds the whole conversation, every channel, in order.
 *
 * @example
 * const activity = toHandoffInitiation(item, { reference: TurnContext.getConversationReference(turn.activity) });
 * await turn.sendActivity(activity);
 */
export function toHandoffInitiation(item: Case, options: HandoffInitiationOptions = {}): Partial<Activity> {
  const bot = options.bot ?? DEFAULT_BOT;
  const reference = options.reference ?? {};
  const conversation = reference.conversation ?? conversationAccount(item.conversationId);
  const customer =
    reference.user ?? customerAccount(item.package, item.package.customer.identities[0]?.channel);
  const transcript: BotFrameworkTranscript = { activities: transcriptActivities(item, { bot, reference }) };
  const attachment: Attachment = { ...TRANSCRIPT_ATTACHMENT, content: transcript };
  return {
    type: ActivityTypes.Event,
    name: HandoffEventNames.InitiateHandoff,
    id: `handoff-${item.id}`,
    timestamp: new Date(options.now ?? item.updatedAt),
    localTimezone: options.timeZone ?? 'UTC',
    channelId: reference.channelId ?? 'parley',
    ...(reference.serviceUrl ? { serviceUrl: reference.serviceUrl } : {}),
    ...(reference.activityId ? { replyToId: reference.activityId } : {}),
    // As EventFactory does: the event is about the customer; `sendActivity` re-addresses it from the bot.
    from: customer,
    conversation,
    relatesTo: {
      channelId: reference.channelId ?? 'parley',
      conversation,
      bot: reference.bot ?? bot,
      user: customer,
      serviceUrl: reference.serviceUrl ?? '',
      ...(reference.activityId ? { activityId: reference.activityId } : {}),
    },
    value: options.handoffContext ?? defaultHandoffContext(item),
    attachments: [attachment],
    entities: [],
  };
}

/**
 * The package's transcript as Bot Framework activities, in order: customer, bot and agent lines become
 * `message` activities, system events become `event` activities named after the event. Parley's own
 * fields (speaker, channel, intent, confidence, data) travel in `channelData.parley`.
 */
export function transcriptActivities(
  item: Case,
  options: { bot?: ChannelAccount; reference?: Partial<ConversationReference> } = {},
): Partial<Activity>[] {
  const bot = options.reference?.bot ?? options.bot ?? DEFAULT_BOT;
  const conversation = options.reference?.conversation ?? conversationAccount(item.conversationId);
  return item.package.transcript.map((entry, index) => {
    const speaker = speakerAccount(item.package, entry, bot);
    // An agent line with an event is an internal note (`case.note`): never shown as said to the customer.
    const said =
      entry.text !== undefined &&
      entry.speaker !== 'system' &&
      (entry.speaker === 'customer' || entry.event === undefined);
    return {
      type: said ? ActivityTypes.Message : ActivityTypes.Event,
      id: entry.messageId ?? `${item.conversationId}:${index}`,
      timestamp: new Date(entry.at),
      channelId: entry.channel,
      conversation,
      from: speaker,
      recipient: entry.speaker === 'customer' ? bot : customerAccount(item.package, entry.channel),
      ...(entry.text !== undefined ? { text: entry.text } : {}),
      ...(said ? {} : { name: entry.event ?? entry.speaker, value: entry.data ?? {} }),
      channelData: { parley: parleyFields(entry) },
    };
  });
}

function parleyFields(entry: TranscriptEntry): JsonObject {
  const { at: _at, text: _text, ...rest } = entry;
  return { ...rest };
}

function speakerAccount(pkg: HandoffPackage, entry: TranscriptEntry, bot: ChannelAccount): ChannelAccount {
  switch (entry.speaker) {
    case 'customer':
      return customerAccount(pkg, entry.channel);
    case 'agent':
      // Bot Framework has no agent role; the agent speaks on the bot's side of the conversation.
      return { id: `agent:${entry.agent ?? 'unknown'}`, name: entry.agent ?? 'Agent', role: RoleTypes.Bot };
    default:
      return bot;
  }
}

/** The customer as known on that channel, or by Parley's customer id. */
function customerAccount(pkg: HandoffPackage, channel: string | undefined): ChannelAccount {
  const identity = pkg.customer.identities.find((candidate) => candidate.channel === channel);
  return { id: identity?.id ?? pkg.customer.id, name: pkg.customer.id, role: RoleTypes.User };
}

function conversationAccount(id: string): ConversationAccount {
  return { id, name: '', isGroup: false, conversationType: 'personal' };
}

function defaultHandoffContext(item: Case): JsonObject {
  const { reason, detail, summary, customer } = item.package;
  return {
    caseId: item.id,
    queue: item.queue,
    priority: item.priority,
    reason,
    ...(detail ? { detail } : {}),
    summary: { ...summary },
    customer: { id: customer.id, identities: customer.identities.map((identity) => ({ ...identity })) },
    packageVersion: item.package.version,
  };
}

/** The webhook body for agent hubs that speak Bot Framework: the `handoff.initiate` activity as JSON. */
export function handoffInitiationBody(item: Case): JsonValue {
  return JSON.parse(JSON.stringify(toHandoffInitiation(item))) as JsonValue;
}
