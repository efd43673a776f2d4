import { z } from 'zod';
import type { PayloadResult } from '../../core/connector';
import type { Message } from '../../core/message';
import type { Clock, IdGenerator } from '../../core/ports';

/**
 * The inbound Bot Framework activity, validated at this edge before botbuilder or the pipeline sees it.
 * Only what Parley reads is checked; other fields pass through untouched for botbuilder.
 */
const account = z.looseObject({
  id: z.string().min(1).max(512),
  name: z.string().max(512).optional(),
  role: z.string().max(64).optional(),
});

const httpUrl = z
  .string()
  .max(2048)
  .refine((value) => URL.canParse(value) && /^https?:$/.test(new URL(value).protocol), 'an http(s) URL');

export const activitySchema = z.looseObject({
  type: z.string().min(1).max(64),
  id: z.string().min(1).max(512).optional(),
  channelId: z.string().min(1).max(64),
  serviceUrl: httpUrl,
  conversation: z.looseObject({
    id: z.string().min(1).max(1024),
    tenantId: z.string().max(256).optional(),
    conversationType: z.string().max(64).optional(),
    isGroup: z.boolean().optional(),
  }),
  from: account,
  recipient: account,
  text: z.string().max(10_000).optional(),
  locale: z.string().max(64).optional(),
  membersAdded: z.array(account).max(256).optional(),
  deliveryMode: z.string().max(64).optional(),
});

export type InboundActivity = z.infer<typeof activitySchema>;

export const BOTFRAMEWORK_CHANNEL = 'botframework';

/** A body as an activity, or every problem zod found in it. */
export function readActivity(
  body: unknown,
): { ok: true; activity: InboundActivity } | { ok: false; detail: string } {
  const parsed = activitySchema.safeParse(body);
  if (parsed.success) return { ok: true, activity: parsed.data };
  const detail = parsed.error.issues
    .slice(0, 5)
    .map((issue) => `${issue.path.length > 0 ? issue.path.join('.') : 'body'}: ${issue.message}`)
    .join('; ');
  return { ok: false, detail };
}

/** The conversation as Parley keys it: one per Bot Framework channel and conversation. */
export function conversationIdOf(activity: Pick<InboundActivity, 'channelId' | 'conversation'>): string {
  return `${BOTFRAMEWORK_CHANNEL}:${activity.channelId}:${activity.conversation.id}`;
}

/**
 * The customer turn an activity carries, if any: a `message` with text is a text turn; a
 * `conversationUpdate` adding someone other than the bot is a `launch` (the greeting), keyed by the member so
 * the processed-messages record greets each member once per conversation. Everything else (typing,
 * reactions, the bot's own arrival, invokes) carries no turn.
 */
export function activityToMessage(
  activity: InboundActivity,
  { clock, ids }: { clock: Clock; ids: IdGenerator },
): Message | undefined {
  const base = {
    channel: BOTFRAMEWORK_CHANNEL,
    conversationId: conversationIdOf(activity),
    timestamp: clock.now(),
    metadata: { botframeworkChannel: activity.channelId },
    raw: activity,
    ...(activity.locale ? { locale: activity.locale } : {}),
  };
  if (activity.type === 'message') {
    const text = activity.text?.trim();
    if (!text) return undefined;
    return {
      ...base,
      channelUserId: `${activity.channelId}:${activity.from.id}`,
      messageId: activity.id ?? ids.next(),
      kind: 'text',
      text,
    };
  }
  if (activity.type === 'conversationUpdate') {
    const joined = (activity.membersAdded ?? []).find((member) => member.id !== activity.recipient.id);
    if (!joined) return undefined;
    return {
      ...base,
      channelUserId: `${activity.channelId}:${joined.id}`,
      messageId: `joined:${joined.id}`,
      kind: 'launch',
    };
  }
  return undefined;
}

/** `Connector.toMessage`: a payload that is not an activity, or carries no turn, is refused with why. */
export function readBotFrameworkPayload(
  payload: unknown,
  context: { clock: Clock; ids: IdGenerator },
): PayloadResult {
  const read = readActivity(payload);
  if (!read.ok) return read;
  const message = activityToMessage(read.activity, context);
  if (!message) return { ok: false, detail: `a ${read.activity.type} activity without text carries no turn` };
  return { ok: true, message };
}
