import { z } from 'zod';
import type { ChannelCapabilities, Connector, PayloadResult } from '../../core/connector';
import type { HttpRequest, HttpResponse, HttpRoute } from '../../core/http';
import { degradeReplies } from '../../core/degrade';
import type { Message, Reply } from '../../core/message';
import { identifier } from '../shared/identifier-schema';
import type { Clock, IdGenerator, Logger, ProactiveSender } from '../../core/ports';
import type { ConversationRuntime } from '../../core/runtime';
import { checkRestToken } from './rest.auth';
// rasa.api uses this module's renderers at request time only: the import cycle is harmless.
import { rasaApiRoutes, type RasaApiOptions } from './rasa.api';
import { createRestCallbackSender } from './rest.callback';
import { idCarriesCardNumber } from '../../transcripts/card-numbers';
import { STORE_RETRY_AFTER_SECONDS, storeUnavailable } from '../../core/store-unavailable';
import { UNAVAILABLE } from '../shared/unavailable';

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

export type ChannelResponse<T> =
  | { status: 200; body: T }
  | { status: 400 | 500; body: ErrorBody }
  /** A store was unavailable: nothing was recorded, so the same request (same message id) may be retried. */
  | { status: 503; body: ErrorBody; retryAfterSeconds: number };

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

// Ids become keys and are echoed back (`recipient_id`): one carrying a card number is refused, not stored.
const noCardData = (id: z.ZodType<string>) =>
  id.refine((value) => !idCarriesCardNumber(value), 'must not contain card data');

const webhookBody = z.object({
  sender: noCardData(z.string().trim().pipe(identifier())),
  message: z.string().max(MAX_TEXT_CHARS),
  // A client that sends its own message_id gets retries deduplicated by the pipeline.
  metadata: z
    .object({
      message_id: noCardData(identifier()).optional(),
      // The customer's locale when the client knows it (`es-ES`): it wins over the language guess.
      locale: z
        .string()
        .regex(/^[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{2,8})*$/)
        .optional(),
      // The client's number for the message: processed after the one numbered one less (bounded wait).
      sequence: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER).optional(),
    })
    .catchall(z.json())
    .optional(),
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
      const read = readRestPayload(body, { clock, ids });
      if (!read.ok) return { status: 400, body: { error: 'invalid_request', detail: read.detail } };
      const { message } = read;
      try {
        const replies = await runtime.handle(message);
        return { status: 200, body: renderRest(replies, message.channelUserId) };
      } catch (error) {
        if (storeUnavailable(error)) {
          log.warn({ err: error, conversationId: message.conversationId }, 'turn refused: store unavailable');
          return { status: 503, body: UNAVAILABLE, retryAfterSeconds: STORE_RETRY_AFTER_SECONDS };
        }
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

/** What REST carries: text and quick replies; out-of-turn only through a callback URL (see rest.callback.ts). */
export const REST_CAPABILITIES: ChannelCapabilities = {
  text: true,
  buttons: true,
  cards: false,
  speech: false,
  audio: false,
  media: false,
  push: false,
  typing: false,
  endSession: false,
};

/** A webhook body as a Message, or every problem zod found in it. */
export function readRestPayload(
  body: unknown,
  { clock, ids }: { clock: Clock; ids: IdGenerator },
): PayloadResult {
  const parsed = webhookBody.safeParse(body);
  if (!parsed.success) return { ok: false, detail: describeIssues(parsed.error) };
  return { ok: true, message: toMessage(parsed.data, clock, ids) };
}

/** Replies degraded to what REST carries, in Rasa's shape. */
export function renderRest(replies: readonly Reply[], recipientId: string): RasaReply[] {
  return degradeReplies(replies, REST_CAPABILITIES).map((reply) => toRasaReply(recipientId, reply));
}

function toMessage(body: z.infer<typeof webhookBody>, clock: Clock, ids: IdGenerator): Message {
  const { message_id: messageId, locale, sequence, ...rest } = body.metadata ?? {};
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
  if (locale) message.locale = locale;
  if (sequence !== undefined) message.sequence = sequence;
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

export interface RestConnectorOptions {
  /** When set, the webhook and `/model/parse` require this shared token (see rest.auth.ts). */
  token?: string;
  /** `POST /model/parse` exposes the NLU; switch it off where that is not wanted. */
  parseEndpoint?: boolean;
  /** Out-of-turn replies are POSTed here (Rasa's callback channel); without it REST cannot push. */
  callbackUrl?: string;
  /** For the callback sender. */
  fetch?: typeof fetch;
  /**
   * Rasa's HTTP API for tools (`/version`, `/status`, a conversation's tracker, `trigger_intent`), behind
   * the same token; see rasa.api.ts.
   */
  rasaApi?: RasaApiOptions;
}

export const REST_WEBHOOK_PATH = '/webhooks/rest/webhook';

/**
 * The REST channel as a connector: `POST /webhooks/rest/webhook` and `POST /model/parse`, plus a callback
 * sender when `callbackUrl` is set, and Rasa's HTTP API for a conversation when `rasaApi` is given.
 *
 * @example
 * connectors.register(createRestConnector({ token: config.restToken, callbackUrl: config.restCallbackUrl }));
 */
export function createRestConnector({
  token,
  parseEndpoint = true,
  callbackUrl,
  fetch: post,
  rasaApi,
}: RestConnectorOptions = {}): Connector<RasaReply[]> {
  let sender: ProactiveSender | undefined;
  const connector: Connector<RasaReply[]> = {
    name: 'rest',
    capabilities: { ...REST_CAPABILITIES, push: callbackUrl !== undefined },
    toMessage: readRestPayload,
    render: (replies, target) => renderRest(replies, target.address.userId),
    mount(context) {
      if (callbackUrl) {
        sender = createRestCallbackSender({
          url: callbackUrl,
          logger: context.logger,
          render: renderRest,
          ...(post ? { fetch: post } : {}),
        });
      }
      const rest = createRestChannel(context);
      const routes: HttpRoute[] = [
        {
          method: 'POST',
          path: REST_WEBHOOK_PATH,
          handle: guarded(token, async (req) => toJson(await rest.webhook(req.body))),
        },
      ];
      if (parseEndpoint) {
        routes.push({
          method: 'POST',
          path: '/model/parse',
          handle: guarded(token, async (req) => toJson(await rest.parse(req.body))),
        });
      }
      if (rasaApi) {
        routes.push(...rasaApiRoutes(rasaApi, context, (handle) => guarded(token, handle)));
      }
      return { routes };
    },
  };
  if (callbackUrl)
    connector.send = (address, replies) => (sender ? sender(address, replies) : Promise.resolve(0));
  return connector;
}

function toJson(result: { status: number; body: object; retryAfterSeconds?: number }): HttpResponse {
  const retry = result.retryAfterSeconds;
  return {
    status: result.status,
    json: result.body,
    ...(retry !== undefined ? { headers: { 'retry-after': String(retry) } } : {}),
  };
}

/** Wraps a handler so requests without the shared token get a 401 naming what is missing. */
function guarded(
  token: string | undefined,
  handle: (request: HttpRequest) => Promise<HttpResponse>,
): (request: HttpRequest) => Promise<HttpResponse> {
  return async (request) => {
    const refused = checkRestToken(token, request);
    if (refused) return { status: 401, json: { error: 'unauthorized', detail: refused } };
    return handle(request);
  };
}
