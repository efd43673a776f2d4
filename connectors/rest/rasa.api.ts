import { z } from 'zod';
import type { ConnectorContext } from '../../core/connector';
import type { HttpRequest, HttpResponse, HttpRoute } from '../../core/http';
import type { JsonObject } from '../../core/json';
import type { Message } from '../../core/message';
import type { TranscriptEntry } from '../../core/transcript';
import { STORE_RETRY_AFTER_SECONDS, storeUnavailable } from '../../core/store-unavailable';
import { identifier } from '../shared/identifier-schema';
import { UNAVAILABLE } from '../shared/unavailable';
import { buildTracker, type ConversationFacts } from './rasa.tracker';
import { describeIssues, NEUTRAL_ERROR, renderRest } from './rest.connector';

/** What the Rasa HTTP API reads beyond the turn runtime: a conversation's transcript and state. */
export interface RasaConversationSource {
  /** Every transcript line of a Parley conversation, oldest first (already redacted). */
  transcript(conversationId: string): Promise<TranscriptEntry[]>;
  /** Undefined when Parley has no state for the conversation. */
  facts(conversationId: string): Promise<ConversationFacts | undefined>;
}

export interface RasaApiOptions {
  source: RasaConversationSource;
  /** Parley's version, reported by `GET /version`. */
  version: string;
  /** The bot's name and when its model was loaded, for `GET /status`. */
  status: () => { bot: string; loadedAt: number };
}

const INTENT_NAME = /^[A-Za-z_][\w.-]*$/;
const trackerQuery = z.object({
  include_events: z.enum(['ALL', 'AFTER_RESTART', 'APPLIED', 'NONE']).optional(),
  until: z.coerce.number().nonnegative().optional(),
});
const triggerBody = z.object({
  name: z.string().regex(INTENT_NAME, 'an intent name: letters, digits, _ . -'),
  entities: z
    .record(z.string().regex(/^\w+$/), z.union([z.string().max(1000), z.number(), z.boolean()]))
    .optional(),
  // Rasa accepts a confidence; a triggered intent is certain in Parley, so it is read and not used.
  confidence: z.number().min(0).max(1).optional(),
});

/**
 * The parts of Rasa's HTTP API that tools use to inspect and drive a conversation: `GET /version`,
 * `GET /status`, `GET /conversations/{id}/tracker` and `POST /conversations/{id}/trigger_intent`. A Rasa
 * conversation id is the REST channel's `sender`; each handler sits behind the REST channel's token.
 */
export function rasaApiRoutes(
  options: RasaApiOptions,
  context: ConnectorContext,
  guard: (
    handle: (request: HttpRequest) => Promise<HttpResponse>,
  ) => (request: HttpRequest) => Promise<HttpResponse>,
): HttpRoute[] {
  const log = context.logger.child({ channel: 'rest', api: 'rasa' });
  const tracker = async (senderId: string, until?: number): Promise<ReturnType<typeof buildTracker>> => {
    const conversationId = `rest:${senderId}`;
    const [entries, facts] = await Promise.all([
      options.source.transcript(conversationId),
      options.source.facts(conversationId),
    ]);
    // `until` replays the events up to a time (Rasa: seconds); the slots are always today's.
    const upTo = until === undefined ? entries : entries.filter((entry) => entry.at / 1000 <= until);
    return buildTracker(senderId, upTo, facts ?? { slots: {}, paused: false });
  };
  const failed = (error: unknown, what: string): HttpResponse => {
    if (storeUnavailable(error)) {
      return {
        status: 503,
        json: UNAVAILABLE,
        headers: { 'retry-after': String(STORE_RETRY_AFTER_SECONDS) },
      };
    }
    log.error({ err: error }, `${what} failed`);
    return { status: 500, json: NEUTRAL_ERROR };
  };

  return [
    {
      method: 'GET',
      path: '/version',
      handle: async () => ({
        status: 200,
        json: { version: options.version, minimum_compatible_version: options.version, server: 'parley' },
      }),
    },
    {
      method: 'GET',
      path: '/status',
      handle: guard(async () => {
        const { bot, loadedAt } = options.status();
        return {
          status: 200,
          json: {
            model_id: bot,
            model_file: bot,
            num_active_training_jobs: 0,
            fingerprint: { trained_at: loadedAt / 1000, version: options.version },
          },
        };
      }),
    },
    {
      method: 'GET',
      path: '/conversations/:id/tracker',
      handle: guard(async (request) => {
        const senderId = senderOf(request);
        if (!senderId.ok) return badRequest(senderId.detail);
        const query = trackerQuery.safeParse(Object.fromEntries(request.query));
        if (!query.success) return badRequest(describeIssues(query.error));
        try {
          const full = await tracker(senderId.value, query.data.until);
          // Parley has no restarts or undone events: AFTER_RESTART, APPLIED and ALL are the same events.
          const json = query.data.include_events === 'NONE' ? { ...full, events: [] } : full;
          return { status: 200, json };
        } catch (error) {
          return failed(error, 'tracker');
        }
      }),
    },
    {
      method: 'POST',
      path: '/conversations/:id/trigger_intent',
      handle: guard(async (request) => {
        const senderId = senderOf(request);
        if (!senderId.ok) return badRequest(senderId.detail);
        const body = triggerBody.safeParse(request.body);
        if (!body.success) return badRequest(describeIssues(body.error));
        const { name, entities } = body.data;
        // The payload form `/intent{"entity": value}` is what Parley's pipeline takes as a certain intent.
        const text = `/${name}${entities && Object.keys(entities).length > 0 ? JSON.stringify(entities) : ''}`;
        const message: Message = {
          channel: 'rest',
          channelUserId: senderId.value,
          conversationId: `rest:${senderId.value}`,
          messageId: context.ids.next(),
          kind: 'text',
          text,
          timestamp: context.clock.now(),
          raw: body.data as JsonObject,
        };
        try {
          const replies = await context.runtime.handle(message);
          return {
            status: 200,
            json: { tracker: await tracker(senderId.value), messages: renderRest(replies, senderId.value) },
          };
        } catch (error) {
          return failed(error, 'trigger_intent');
        }
      }),
    },
  ];
}

function senderOf(request: HttpRequest): { ok: true; value: string } | { ok: false; detail: string } {
  const parsed = identifier().safeParse(request.params.id ?? '');
  return parsed.success
    ? { ok: true, value: parsed.data }
    : { ok: false, detail: `conversation id: ${describeIssues(parsed.error)}` };
}

function badRequest(detail: string): HttpResponse {
  return { status: 400, json: { error: 'invalid_request', detail } };
}
