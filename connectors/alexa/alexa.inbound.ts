import { createHash } from 'node:crypto';
import type { Message } from '../../core/message';
import type { AlexaEnvelope } from './alexa.request';

export const ALEXA_CHANNEL = 'alexa';

/** The skill's catch-all intent and its slot: what the customer said, for Parley's own NLU. */
export const CATCH_ALL_INTENT = 'ParleyCatchAllIntent';
export const UTTERANCE_SLOT = 'utterance';
/** Answers Alexa's own slot types understand better than free text. */
export const DATE_INTENT = 'ParleyDateIntent';
export const DATE_SLOT = 'date';
export const NUMBER_INTENT = 'ParleyNumberIntent';
export const NUMBER_SLOT = 'number';

/** Alexa's built-in intents as Parley's built-in skills (a `/intent` payload is a certain NLU result). */
export const BUILT_IN_INTENTS: Readonly<Record<string, { payload: string; label: string }>> = {
  'AMAZON.StopIntent': { payload: '/goodbye', label: 'stop' },
  'AMAZON.CancelIntent': { payload: '/cancel', label: 'cancel' },
  'AMAZON.NavigateHomeIntent': { payload: '/cancel', label: 'start over' },
  'AMAZON.HelpIntent': { payload: '/help', label: 'help' },
  'AMAZON.FallbackIntent': { payload: '/out_of_scope', label: '(not understood)' },
  'AMAZON.YesIntent': { payload: '/affirm', label: 'yes' },
  'AMAZON.NoIntent': { payload: '/deny', label: 'no' },
  'AMAZON.RepeatIntent': { payload: '/repeat', label: 'repeat' },
};

/**
 * The customer's id on the channel: a digest of Alexa's `userId` (opaque, up to several hundred characters,
 * and different per skill), short enough for keys and logs and the same on every request.
 */
export function alexaUserKey(userId: string): string {
  return createHash('sha256').update(userId).digest('base64url').slice(0, 32);
}

export function alexaConversationId(userKey: string): string {
  return `${ALEXA_CHANNEL}:${userKey}`;
}

/** An Alexa request as one channel-neutral Message. */
export function toAlexaMessage(envelope: AlexaEnvelope, now: number): Message {
  const { request } = envelope;
  const userKey = alexaUserKey(envelope.context.System.user.userId);
  const base = {
    channel: ALEXA_CHANNEL,
    channelUserId: userKey,
    conversationId: alexaConversationId(userKey),
    messageId: request.requestId,
    timestamp: now,
    ...(request.locale ? { locale: request.locale } : {}),
  };
  switch (request.type) {
    case 'LaunchRequest':
      return { ...base, kind: 'launch' };
    case 'SessionEndedRequest':
      return {
        ...base,
        kind: 'end',
        event: 'alexa.session_ended',
        ...(request.reason ? { metadata: { reason: request.reason } } : {}),
      };
    case 'IntentRequest':
      return { ...base, kind: 'text', ...intentInput(request.intent) };
  }
}

type IntentRequest = Extract<AlexaEnvelope['request'], { type: 'IntentRequest' }>;

/** What an intent carries as the customer's words: free text for the NLU, or a certain payload. */
function intentInput(intent: IntentRequest['intent']): { text: string; label?: string } {
  const slot = (name: string): string | undefined => {
    const value = intent.slots?.[name]?.value?.trim();
    return value ? value : undefined;
  };
  const builtIn = BUILT_IN_INTENTS[intent.name];
  if (builtIn) return { text: builtIn.payload, label: builtIn.label };
  if (intent.name === CATCH_ALL_INTENT) {
    const said = slot(UTTERANCE_SLOT);
    return said ? { text: said } : notUnderstood();
  }
  if (intent.name === DATE_INTENT) {
    const date = slot(DATE_SLOT);
    if (!date) return notUnderstood();
    // A whole day is a `datetime` entity as Parley's extractor writes it; a week, month or "now" stays words.
    if (/^\d{4}-\d{2}-\d{2}$/.test(date))
      return { text: `/inform${JSON.stringify({ datetime: date })}`, label: date };
    return { text: date };
  }
  if (intent.name === NUMBER_INTENT) {
    // Digits as words for the NLU: the bot's own patterns (an account number) and `number` both apply.
    const number = slot(NUMBER_SLOT);
    return number && /^-?\d{1,30}$/.test(number) ? { text: number } : notUnderstood();
  }
  return notUnderstood();
}

function notUnderstood(): { text: string; label: string } {
  return { text: '/out_of_scope', label: '(not understood)' };
}
