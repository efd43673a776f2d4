import type { Connector, ConnectorContext, ConnectorMount } from '../../core/connector';
import type { ProactiveSender } from '../../core/ports';
import type { KeyValueStore } from '../../core/ports';
import {
  readTwilioPayload,
  toTwiml,
  twilioTexts,
  TWILIO_CAPABILITIES,
  type TwilioChannel,
} from './twilio.inbound';
import { createTwilioMessagesApi, type TwilioMessagesApiOptions } from './twilio.messages-api';
import { createTwilioSender, whatsappSender } from './twilio.sender';
import { TwilioState } from './twilio.state';
import {
  createTwilioWebhook,
  DEFAULT_HELP_TEXT,
  DEFAULT_MEDIA_REPLY,
  TWILIO_WEBHOOK_PATH,
} from './twilio.webhook';

export interface TwilioOptions {
  /** The account's auth token: every webhook request's signature is checked with it. */
  authToken: string;
  /** Needed to send out of turn; without it the channels answer only within a turn. */
  accountSid?: string;
  /** Twilio's REST API base (`https://api.twilio.com`), a local server in tests. */
  apiUrl?: string;
  /** Senders for out-of-turn messages; the number the customer last wrote to when unset. */
  smsFrom?: string;
  whatsappFrom?: string;
  /** Parley's public base URL behind a proxy: the URL Twilio signed. */
  publicUrl?: string;
  /** Shared state (options offered, opt-outs): the runtime's `stores.keyValue`, so every process sees it. */
  state: KeyValueStore;
  /** Twilio gives up after 15 s; a longer turn answers empty TwiML and replies out of turn. */
  replyWithinMs?: number;
  /** The answer to HELP / INFO. */
  helpText?: string;
  /** The answer to a picture, voice note or file. */
  mediaReply?: string;
  /** Retry and transport settings of the Messages API client (tests shorten the back-off). */
  api?: Pick<TwilioMessagesApiOptions, 'maxAttempts' | 'baseDelayMs' | 'maxDelayMs' | 'fetch' | 'sleep'>;
}

/**
 * SMS and WhatsApp through Twilio: two connectors (`sms`, `whatsapp`) sharing one webhook,
 * `POST /webhooks/twilio/messages`, mounted by whichever is mounted first. A message whose `From` starts
 * with `whatsapp:` is on the `whatsapp` channel, any other on `sms`.
 *
 * @example
 * for (const connector of createTwilioConnectors({ ...config.twilio, state: stores.keyValue })) connectors.register(connector);
 */
export function createTwilioConnectors(options: TwilioOptions): [Connector<string>, Connector<string>] {
  const state = new TwilioState(options.state);
  let mounted = false;
  let sender: ProactiveSender | undefined;
  const push = options.accountSid !== undefined;

  function mount(context: ConnectorContext): ConnectorMount {
    if (mounted) return {};
    mounted = true;
    if (options.accountSid) {
      const api = createTwilioMessagesApi({
        apiUrl: options.apiUrl ?? 'https://api.twilio.com',
        accountSid: options.accountSid,
        authToken: options.authToken,
        logger: context.logger,
        ...options.api,
      });
      sender = createTwilioSender({
        api,
        state,
        logger: context.logger,
        clock: context.clock,
        from: {
          ...(options.smsFrom ? { sms: options.smsFrom } : {}),
          ...(options.whatsappFrom ? { whatsapp: whatsappSender(options.whatsappFrom) } : {}),
        },
      });
    }
    const handle = createTwilioWebhook({
      runtime: context.runtime,
      logger: context.logger,
      clock: context.clock,
      state,
      authToken: options.authToken,
      ...(options.publicUrl ? { publicUrl: options.publicUrl } : {}),
      ...(sender ? { sendLate: sender } : {}),
      replyWithinMs: options.replyWithinMs ?? 10_000,
      helpText: options.helpText ?? DEFAULT_HELP_TEXT,
      mediaReply: options.mediaReply ?? DEFAULT_MEDIA_REPLY,
    });
    return { routes: [{ method: 'POST', path: TWILIO_WEBHOOK_PATH, body: 'raw', handle }] };
  }

  const connector = (channel: TwilioChannel): Connector<string> => ({
    name: channel,
    capabilities: { ...TWILIO_CAPABILITIES, push },
    mount,
    toMessage: (payload, context) => readTwilioPayload(channel, payload, context),
    render: (replies) => toTwiml(twilioTexts(replies)),
    ...(push ? { send: (target, replies) => (sender ? sender(target, replies) : Promise.resolve(0)) } : {}),
  });
  return [connector('sms'), connector('whatsapp')];
}

export { TWILIO_WEBHOOK_PATH } from './twilio.webhook';
export { TWILIO_CHANNELS } from './twilio.inbound';
