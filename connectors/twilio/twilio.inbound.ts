import { z } from 'zod';
import type { ChannelCapabilities, PayloadResult } from '../../core/connector';
import { degradeReplies } from '../../core/degrade';
import type { Message, Reply } from '../../core/message';
import type { Clock, IdGenerator } from '../../core/ports';

export const TWILIO_CHANNELS = ['sms', 'whatsapp'] as const;
export type TwilioChannel = (typeof TWILIO_CHANNELS)[number];

/** Plain text, 1600 characters a message (Twilio's limit for one SMS or WhatsApp body); pushes by address. */
export const TWILIO_CAPABILITIES: ChannelCapabilities = {
  text: true,
  buttons: false,
  cards: false,
  speech: false,
  audio: false,
  media: false,
  push: true,
  typing: false,
  endSession: false,
  maxTextLength: 1600,
};

const MAX_BODY_CHARS = 10_000;
/** E.164 numbers, short codes and alphanumeric senders; `whatsapp:` is stripped before this applies. */
const ADDRESS = /^\+?[0-9A-Za-z]{1,32}$/;

const inboundSchema = z.object({
  MessageSid: z.string().regex(/^[A-Za-z0-9]{2,64}$/, 'expected a Twilio message SID'),
  From: z.string().min(1).max(64),
  To: z.string().min(1).max(64),
  Body: z.string().max(MAX_BODY_CHARS).default(''),
  NumMedia: z.coerce.number().int().min(0).max(20).default(0),
});

/** The fields of a Twilio inbound message Parley uses, validated. */
export interface TwilioInbound {
  channel: TwilioChannel;
  messageSid: string;
  /** The customer's number without the `whatsapp:` prefix. */
  number: string;
  /** The Twilio number written to, as Twilio gave it (with `whatsapp:` for WhatsApp). */
  to: string;
  body: string;
  numMedia: number;
  mediaTypes: string[];
}

export type InboundResult = { ok: true; inbound: TwilioInbound } | { ok: false; detail: string };

/** Reads Twilio's webhook parameters (name → value); never throws. */
export function readInbound(payload: unknown): InboundResult {
  const parsed = inboundSchema.safeParse(payload);
  if (!parsed.success) {
    const detail = parsed.error.issues.map((issue) => `${issue.path.join('.') || 'body'}: ${issue.message}`);
    return { ok: false, detail: detail.join('; ') };
  }
  const { MessageSid, From, To, Body, NumMedia } = parsed.data;
  const channel: TwilioChannel = From.startsWith('whatsapp:') ? 'whatsapp' : 'sms';
  const number = channel === 'whatsapp' ? From.slice('whatsapp:'.length) : From;
  if (!ADDRESS.test(number)) return { ok: false, detail: 'From: expected a phone number or sender id' };
  const fields = payload as Record<string, unknown>;
  const mediaTypes: string[] = [];
  for (let i = 0; i < NumMedia; i += 1) {
    const type = fields[`MediaContentType${i}`];
    if (typeof type === 'string' && type.length <= 100) mediaTypes.push(type);
  }
  return {
    ok: true,
    inbound: { channel, messageSid: MessageSid, number, to: To, body: Body, numMedia: NumMedia, mediaTypes },
  };
}

export function conversationIdOf(channel: TwilioChannel, number: string): string {
  return `${channel}:${number}`;
}

export function textMessage(inbound: TwilioInbound, clock: Clock): Message {
  return {
    channel: inbound.channel,
    channelUserId: inbound.number,
    conversationId: conversationIdOf(inbound.channel, inbound.number),
    messageId: inbound.messageSid,
    kind: 'text',
    text: inbound.body,
    timestamp: clock.now(),
  };
}

/** A payload as a Message on `channel`; a message from the other Twilio channel is refused. */
export function readTwilioPayload(
  channel: TwilioChannel,
  payload: unknown,
  { clock }: { clock: Clock; ids: IdGenerator },
): PayloadResult {
  const read = readInbound(payload);
  if (!read.ok) return read;
  if (read.inbound.channel !== channel) {
    return { ok: false, detail: `From: a ${read.inbound.channel} sender, not ${channel}` };
  }
  return { ok: true, message: { ...textMessage(read.inbound, clock), raw: payload } };
}

/** Replies degraded to plain text under the length limit: one string per Twilio message. */
export function twilioTexts(replies: readonly Reply[]): string[] {
  return degradeReplies(replies, TWILIO_CAPABILITIES)
    .map((reply) => reply.text)
    .filter((text) => text.trim().length > 0);
}

/** TwiML answering a webhook with `texts`, one `<Message>` each; no texts, no message. */
export function toTwiml(texts: readonly string[]): string {
  const messages = texts.map((text) => `<Message>${escapeXml(text)}</Message>`).join('');
  return `<?xml version="1.0" encoding="UTF-8"?><Response>${messages}</Response>`;
}

export function escapeXml(text: string): string {
  // Characters XML 1.0 cannot carry at all (most C0 controls) are dropped rather than escaped.
  // eslint-disable-next-line no-control-regex -- that is the point
  const clean = text.replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, '');
  return clean.replace(
    /[&<>"']/g,
    (char) => `&${{ '&': 'amp', '<': 'lt', '>': 'gt', '"': 'quot', "'": 'apos' }[char]};`,
  );
}
