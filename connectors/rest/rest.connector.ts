import { z } from 'zod';
import type { Message, Reply } from '../../core/message';
import { identifier } from '../shared/identifier-schema';
import type { Clock, IdGenerator, Logger } from '../../core/ports';
import type { ConversationRuntime } from '../../core/runtime';

/**
 * The REST channel, wire-compatible with Rasa's `rest` channel and `/model/parse`, so existing Rasa clients,
 * load tools and test scripts talk to a Parley bot unchanged. HTTP concerns (body size, content type, JSON
 * syntax) are handled by the server before these functions see a body.
 */

/** The JSON error body every Parley HTTP endpoint answers with. `detail` never carries internals. */
export interface ErrorBody {
  error: string;
  detail: string;
}

export type ChannelResponse<T> = { status: 200; body: T } | { status: 400 | 500; body: ErrorBody };

/** One reply in Rasa's REST shape. `buttons` is absent, not empty, when the reply has none. */
export interface RasaReply {
  recipient_id: string;
  text: string;
  buttons?: { title: string; payload: string }[];
  /** Rasa's free-form field: who speaks when it is not the bot (an agent, a notice). */
  custom?: { from: 'agent' | 'system'; agent_name?: string };
}

export interface RasaParseResult {
  text: string;
  intent: { name: string; confidence: number };
  entities: unknown[];
  intent_ranking: { name: string; confidence: number }[];
}

const MAX_TEXT_CHARS = 10_000;

const webhookBody = z.object({
  sender: z.string().trim().pipe(identifier()),
  message: z.string().max(MAX_TEXT_CHARS),
  // A client that sends its own message_id gets retries deduplicated by the pipeline.
  metadata: z.object({ message_id: identifier().optional() }).catchall(z.json()).optional(),
});

const parseBody = z.object({ text: z.string().min(1).max(MAX_TEXT_CHARS) });

export const NEUTRAL_ERROR: ErrorBody = {
  error: 'internal_error',
  detail: 'Something went wrong on our side. Please try again in a moment.',
};

/** Names every problem zod found: `sender: Invalid input: expected string, received undefined`. */
export function describeIssues(error: z.ZodError): string {
  return error.issues
    .map((issue) => `${issue.path.length > 0 ? issue.path.join('.') : 'body'}: ${issue.message}`)
    .join('; ');
}

export interface RestChannelDeps {
  runtime: ConversationRuntime;
  logger: Logger;
  clock: Clock;
  ids: IdGenerator;
}

export interface RestChannel {
  /** `POST /webhooks/rest/webhook` */
  webhook(body: unknown): Promise<ChannelResponse<RasaReply[]>>;
  /** `POST /model/parse` */
  parse(body: unknown): Promise<ChannelResponse<RasaParseResult>>;
}

export function createRestChannel({ runtime, logger, clock, ids }: RestChannelDeps): RestChannel {
  const log = logger.child({ channel: 'rest' });

  return {
    async webhook(body) {
      const parsed = webhookBody.safeParse(body);
      if (!parsed.success) {
        return { status: 400, body: { error: 'invalid_request', detail: describeIssues(parsed.error) } };
      }
      const message = toMessage(parsed.data, clock, ids);
      try {
        const replies = await runtime.handle(message);
        return { status: 200, body: replies.map((reply) => toRasaReply(parsed.data.sender, reply)) };
      } catch (error) {
        log.error(
          { err: error, conversationId: message.conversationId, messageId: message.messageId },
          'turn failed',
        );
        return { status: 500, body: NEUTRAL_ERROR };
      }
    },

    async parse(body) {
      const parsed = parseBody.safeParse(body);
      if (!parsed.success) {
        return { status: 400, body: { error: 'invalid_request', detail: describeIssues(parsed.error) } };
      }
      try {
        const result = await runtime.parse(parsed.data.text);
        return {
          status: 200,
          body: {
            text: result.text,
            intent: { name: result.intent.name, confidence: result.intent.confidence },
            entities: result.entities,
            intent_ranking: result.intent_ranking.map(({ name, confidence }) => ({ name, confidence })),
          },
        };
      } catch (error) {
        log.error({ err: error }, 'parse failed');
        return { status: 500, body: NEUTRAL_ERROR };
      }
    },
  };
}

function toMessage(body: z.infer<typeof webhookBody>, clock: Clock, ids: IdGenerator): Message {
  const { message_id: messageId, ...rest } = body.metadata ?? {};
  const message: Message = {
    channel: 'rest',
    channelUserId: body.sender,
    conversationId: `rest:${body.sender}`,
    messageId: messageId ?? ids.next(),
    kind: 'text',
    text: body.message,
    timestamp: clock.now(),
    raw: body,
  };
  if (Object.keys(rest).length > 0) message.metadata = rest;
  return message;
}

export function toRasaReply(recipientId: string, reply: Reply): RasaReply {
  const out: RasaReply = { recipient_id: recipientId, text: reply.text };
  if (reply.buttons && reply.buttons.length > 0) {
    out.buttons = reply.buttons.map(({ title, payload }) => ({ title, payload }));
  }
  if (reply.from !== 'bot') {
    out.custom = { from: reply.from, ...(reply.agentName ? { agent_name: reply.agentName } : {}) };
  }
  return out;
}
