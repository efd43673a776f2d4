import type { ProactiveSender } from '../../core/ports';
import { matchOption, offeredButtons } from '../../core/degrade';
import type { HttpRequest, HttpResponse } from '../../core/http';
import type { JsonObject } from '../../core/json';
import type { Button, Message, Reply } from '../../core/message';
import type { Clock, Logger } from '../../core/ports';
import type { ConversationRuntime } from '../../core/runtime';
import {
  textMessage,
  toTwiml,
  twilioTexts,
  TWILIO_CAPABILITIES,
  readInbound,
  type TwilioInbound,
} from './twilio.inbound';
import { isValidTwilioSignature, parseForm, signedUrl } from './twilio.signature';
import { keywordOf, type TwilioState } from './twilio.state';

export const TWILIO_WEBHOOK_PATH = '/webhooks/twilio/messages';

export const DEFAULT_HELP_TEXT =
  'This is our automated assistant: write your question, or "agent" to reach a person. Reply STOP to opt out.';
export const DEFAULT_MEDIA_REPLY =
  "Thanks for sending that. I can't open pictures or files here, so please describe it in words.";

export interface TwilioWebhookDeps {
  runtime: ConversationRuntime;
  logger: Logger;
  clock: Clock;
  state: TwilioState;
  authToken: string;
  /** Parley's public base URL, when a proxy sits in front: what Twilio signed. */
  publicUrl?: string;
  /** Replies that miss the webhook's deadline go out this way (undefined: they are logged and dropped). */
  sendLate?: ProactiveSender;
  /** Twilio waits 15 s for the answer; a turn still running after this answers empty TwiML. */
  replyWithinMs: number;
  helpText: string;
  mediaReply: string;
}

/**
 * `POST /webhooks/twilio/messages`: Twilio's inbound SMS and WhatsApp webhook. Every request must carry a
 * valid `X-Twilio-Signature` (else 403 before anything is read or stored); keywords (STOP, START, HELP)
 * are honoured before the bot sees anything; in-turn replies go back as TwiML.
 */
export function createTwilioWebhook(
  deps: TwilioWebhookDeps,
): (request: HttpRequest) => Promise<HttpResponse> {
  const { runtime, state, clock } = deps;
  const log = deps.logger.child({ channel: 'twilio' });

  /** A system event in the conversation's transcript, through the turn pipeline (ordered, deduplicated). */
  async function recordEvent(inbound: TwilioInbound, event: string, messageId: string, data?: JsonObject) {
    const { text: _text, ...message } = textMessage(inbound, clock);
    const noted: Message = {
      ...message,
      kind: 'event',
      event,
      messageId,
      ...(data ? { metadata: data } : {}),
    };
    return runtime.handle(noted);
  }

  async function answer(conversationId: string, replies: readonly Reply[]): Promise<string[]> {
    const last = replies.at(-1);
    if (last) await state.offered(conversationId, offeredButtons(last, TWILIO_CAPABILITIES));
    return twilioTexts(replies);
  }

  async function turn(
    inbound: TwilioInbound,
    conversationId: string,
    offered: readonly Button[],
    texts: string[],
  ): Promise<HttpResponse> {
    const message = textMessage(inbound, clock);
    const picked = matchOption(inbound.body, offered);
    const said: Message = picked ? { ...message, text: picked.payload, label: picked.title } : message;
    const running = runtime.handle(said);
    const replies = await withDeadline(running, deps.replyWithinMs);
    if (replies) return twiml([...texts, ...(await answer(conversationId, replies))]);
    log.warn(
      { conversationId, messageId: said.messageId },
      'turn ran past the webhook deadline: replying out of turn',
    );
    void running
      .then(async (late) => {
        if (!deps.sendLate) throw new Error('no Twilio sender configured (PARLEY_TWILIO_ACCOUNT_SID)');
        const address = { channel: inbound.channel, userId: inbound.number };
        const sent = await deps.sendLate({ conversationId, address, session: conversationId }, late);
        if (sent < late.length) throw new Error(`${late.length - sent} late replies not delivered`);
      })
      .catch((error: unknown) => log.error({ err: error, conversationId }, 'late replies failed'));
    return twiml(texts);
  }

  return async (request) => {
    const params = parseForm(request.rawBody);
    const signature = request.headers['x-twilio-signature'];
    const url = signedUrl(request, deps.publicUrl);
    if (
      !isValidTwilioSignature(
        deps.authToken,
        url,
        params,
        typeof signature === 'string' ? signature : undefined,
      )
    ) {
      return { status: 403, json: { error: 'forbidden', detail: 'missing or invalid X-Twilio-Signature' } };
    }
    const read = readInbound(Object.fromEntries(params));
    if (!read.ok) return { status: 400, json: { error: 'invalid_request', detail: read.detail } };
    const { inbound } = read;
    const conversationId = `${inbound.channel}:${inbound.number}`;
    const keyword = inbound.numMedia === 0 ? keywordOf(inbound.body) : undefined;

    if (keyword === 'opt-out') {
      await state.optOut(conversationId, clock.now());
      await recordEvent(inbound, 'twilio.opted_out', inbound.messageSid, { keyword: inbound.body.trim() });
      return twiml([]);
    }
    if (keyword === 'opt-in') {
      await state.optIn(conversationId);
      const held = await recordEvent(inbound, 'twilio.opted_in', inbound.messageSid, {
        keyword: inbound.body.trim(),
      });
      return twiml(await answer(conversationId, held));
    }
    if (await state.isOptedOut(conversationId)) {
      // Nothing reaches an opted-out number, and the bot does not move on unseen: only START counts.
      log.info({ conversationId }, 'message from an opted-out number ignored');
      return twiml([]);
    }
    if (keyword === 'help') return twiml([deps.helpText]);

    const known = await state.conversation(conversationId);
    if (known.ourNumber !== inbound.to) await state.update(conversationId, { ourNumber: inbound.to });
    const texts: string[] = [];
    if (inbound.numMedia > 0) {
      const data = { count: inbound.numMedia, types: inbound.mediaTypes };
      const held = await recordEvent(inbound, 'twilio.media', `${inbound.messageSid}:media`, data);
      texts.push(deps.mediaReply, ...twilioTexts(held));
    }
    if (inbound.body.trim().length === 0) return twiml(texts);
    return turn(inbound, conversationId, known.options, texts);
  };
}

function twiml(texts: readonly string[]): HttpResponse {
  return { status: 200, raw: toTwiml(texts), contentType: 'text/xml; charset=utf-8' };
}

/** The promise's value, or undefined once `ms` have passed first (the promise keeps running). */
async function withDeadline<T>(promise: Promise<T>, ms: number): Promise<T | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), ms);
  });
  try {
    return await Promise.race([promise, late]);
  } finally {
    clearTimeout(timer);
  }
}
