import type { ChannelCapabilities, Connector, ConnectorContext, ConnectorMount } from '../../core/connector';
import { degradeReplies } from '../../core/degrade';
import type { MessageCatalogue } from '../../core/messages';
import type { SpeechToText, TextToSpeech } from '../../core/speech';
import { frameworkMessages } from '../../locales/load';
import { FRAME_MS } from './voice.frames';
import type { KeypadForms } from './voice.keypad';
import { createTwilioCallsApi, type TwilioCallsApi } from './voice.calls-api';
import { CallSession, type CallSettings, type TurnTiming } from './voice.session';
import { callMessage, callTurnSchema, heardInput } from './voice.message';
import { createMediaSocket } from './voice.socket';
import { dialTwiml } from './voice.twiml';
import {
  createVoiceWebhook,
  createWhisperWebhook,
  VOICE_WEBHOOK_PATH,
  VOICE_WHISPER_PATH,
} from './voice.webhook';

export interface VoiceOptions {
  authToken: string;
  /** Needed to transfer calls (the Calls API); without it escalations promise a call back. */
  accountSid?: string;
  apiUrl?: string;
  publicUrl?: string;
  /** A phone number (E.164) or SIP address that takes transferred calls. */
  transferTo?: string;
  stt: SpeechToText;
  tts: TextToSpeech;
  /** The bot's phrases and entity values: recognition hints. */
  phrases?: readonly string[];
  /** Codes keyed without their fixed letters (`keypadForms` of the bot's entities). */
  keypad?: KeypadForms;
  messages?: MessageCatalogue;
  locale?: string;
  speech?: 'plain' | 'ssml';
  silenceMs?: number;
  maxSilences?: number;
  dtmfTimeoutMs?: number;
  frameMs?: number;
  /** A Calls API of the caller's own (tests); built from `accountSid` otherwise. */
  callsApi?: TwilioCallsApi;
  onTiming?(timing: TurnTiming): void;
}

export const VOICE_CAPABILITIES: ChannelCapabilities = {
  text: false,
  buttons: false,
  cards: false,
  speech: 'plain',
  audio: false,
  media: false,
  push: false,
  typing: false,
  endSession: true,
};

/**
 * Phone calls through Twilio Programmable Voice: the number's voice webhook answers with a Media Stream to
 * Parley's media socket, where a call session listens and speaks around the same turn pipeline as every
 * channel. One call is one conversation on the `voice` channel; the caller's number is the customer address.
 *
 * @example
 * const engines = await createSpeechEngines(config.speech, { training });
 * connectors.register(createVoiceConnector({ authToken, stt: engines.stt, tts: engines.tts }));
 */
export function createVoiceConnector(options: VoiceOptions): Connector<string[]> {
  const capabilities = { ...VOICE_CAPABILITIES, speech: options.speech ?? 'plain' };
  const api =
    options.callsApi ??
    (options.accountSid
      ? createTwilioCallsApi({
          apiUrl: options.apiUrl ?? 'https://api.twilio.com',
          accountSid: options.accountSid,
          authToken: options.authToken,
        })
      : undefined);
  const transferTo = api ? options.transferTo : undefined;
  const settings: CallSettings = {
    capabilities,
    locale: options.locale ?? 'en',
    phrases: options.phrases ?? [],
    silenceMs: options.silenceMs ?? 8_000,
    maxSilences: options.maxSilences ?? 2,
    dtmfTimeoutMs: options.dtmfTimeoutMs ?? 4_000,
    frameMs: options.frameMs ?? FRAME_MS,
    canTransfer: transferTo !== undefined,
    ...(options.keypad ? { keypad: options.keypad } : {}),
  };
  const webhooks = {
    authToken: options.authToken,
    ...(options.publicUrl ? { publicUrl: options.publicUrl } : {}),
  };

  function mount(context: ConnectorContext): ConnectorMount {
    const whisperBase = `${(options.publicUrl ?? '').replace(/\/+$/, '')}${VOICE_WHISPER_PATH}`;
    const socket = createMediaSocket({
      ...webhooks,
      logger: context.logger,
      newSession: (send, hangUp) =>
        new CallSession({
          runtime: context.runtime,
          stt: options.stt,
          tts: options.tts,
          messages: options.messages ?? frameworkMessages(),
          logger: context.logger,
          clock: context.clock,
          settings,
          send,
          hangUp,
          async transfer(callSid, caseId) {
            if (!api || !transferTo) throw new Error('no transfer target configured');
            await api.update(callSid, dialTwiml(transferTo, caseId, whisperBase));
            context.logger.info({ callSid, caseId }, 'call transferred to a person');
          },
          ...(options.onTiming ? { onTiming: options.onTiming } : {}),
        }),
    });
    return {
      routes: [
        { method: 'POST', path: VOICE_WEBHOOK_PATH, body: 'raw', handle: createVoiceWebhook(webhooks) },
        { method: 'POST', path: VOICE_WHISPER_PATH, body: 'raw', handle: createWhisperWebhook(webhooks) },
      ],
      sockets: [socket],
    };
  }

  return {
    name: 'voice',
    capabilities,
    mount,
    // Audio arrives on the media socket; what a session heard in one turn is the channel's payload.
    toMessage(payload, { clock }) {
      const parsed = callTurnSchema.safeParse(payload);
      if (!parsed.success) return { ok: false, detail: 'not a recognised call turn' };
      const { heard, sequence, locale, ...call } = parsed.data;
      return { ok: true, message: callMessage(call, sequence, heardInput(heard), locale, clock.now()) };
    },
    render: (replies) => degradeReplies(replies, capabilities).map((reply) => reply.speech ?? reply.text),
  };
}

export { VOICE_WEBHOOK_PATH, MEDIA_STREAM_PATH } from './voice.webhook';
