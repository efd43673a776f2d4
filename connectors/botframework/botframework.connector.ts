import { storeUnavailable } from '../../core/store-unavailable';
import { unavailableResponse } from '../shared/unavailable';
import type { Activity, ConversationReference, Request, Response, TurnContext } from 'botbuilder';
import type { Connector, ConnectorContext } from '../../core/connector';
import type { OutboxTarget } from '../../core/ports';
import type { HttpRequest, HttpResponse, HttpRoute } from '../../core/http';
import type { JsonObject } from '../../core/json';
import type { Message, Reply } from '../../core/message';
import {
  BOTFRAMEWORK_CHANNEL,
  activityToMessage,
  readActivity,
  readBotFrameworkPayload,
  type InboundActivity,
} from './botframework.activity';
import {
  LOOPBACK_SERVICE_URLS,
  createBotFrameworkAuth,
  serviceUrlAllowed,
  type BotFrameworkCredentials,
  type BotFrameworkEndpoints,
  type CredentialsFactory,
} from './botframework.auth';
import { createMemoryReferenceStore, type ConversationReferenceStore } from './botframework.references';
import { BOTFRAMEWORK_CAPABILITIES, TYPING, renderActivities } from './botframework.render';

export interface BotFrameworkConnectorOptions extends BotFrameworkCredentials {
  /** The messaging endpoint's path (the Azure Bot's "Messaging endpoint" is `https://<host>` + this). */
  path?: string;
  /** The token service; Azure's public cloud by default. */
  endpoints?: BotFrameworkEndpoints;
  /** Replaces botbuilder's credentials factory (tests give the bot a local token). */
  credentialsFactory?: CredentialsFactory;
  /**
   * With auth off only: `serviceUrl` prefixes the bot may answer (default: loopback only, which is where
   * the Bot Framework Emulator listens). With auth on the signed `serviceUrl` claim decides instead.
   */
  allowedServiceUrls?: readonly string[];
  /** Where conversation references are kept for out-of-turn replies (default: this process's memory). */
  references?: ConversationReferenceStore;
  /** A turn still running after this long shows the channel's typing indicator. */
  typingAfterMs?: number;
  /**
   * Bot Framework channels give up on a request after 15 s: a turn running longer is answered with 200
   * at this point and its replies follow out of turn.
   */
  answerWithinMs?: number;
}

export const BOTFRAMEWORK_PATH = '/api/messages';

/**
 * Every Azure Bot Service channel (Teams, Slack, Facebook, Telegram, Direct Line, Web Chat, the Emulator)
 * through one `POST /api/messages`, served by botbuilder's CloudAdapter. botbuilder stays inside this
 * folder: the Microsoft 365 Agents SDK speaks the same Activity protocol and can replace it here alone.
 *
 * @example
 * connectors.register(createBotFrameworkConnector({ appId: config.botFramework.appId, appPassword }));
 */
export function createBotFrameworkConnector(
  options: BotFrameworkConnectorOptions = {},
): Connector<Partial<Activity>[]> {
  const auth = createBotFrameworkAuth(options, options.endpoints, options.credentialsFactory);
  const references = options.references ?? createMemoryReferenceStore();
  const allowed = options.allowedServiceUrls ?? LOOPBACK_SERVICE_URLS;
  let mounted: ConnectorContext | undefined;

  async function handle(request: HttpRequest, context: ConnectorContext): Promise<HttpResponse> {
    const read = readActivity(request.body);
    if (!read.ok) return refuse(400, 'invalid_activity', read.detail);
    const { activity } = read;
    if (!auth.enabled && !serviceUrlAllowed(activity.serviceUrl, allowed)) {
      return refuse(403, 'forbidden', 'serviceUrl is not on the allow-list of this bot');
    }
    if (auth.enabled && !(await auth.authenticate(asBotActivity(activity), authorization(request)))) {
      return refuse(401, 'unauthorized', 'the channel token is missing or not valid');
    }
    const message = activityToMessage(activity, context);
    if (!message) return acknowledge(activity);
    return runTurn(request, activity, message, context);
  }

  async function runTurn(
    request: HttpRequest,
    activity: InboundActivity,
    message: Message,
    context: ConnectorContext,
  ): Promise<HttpResponse> {
    const log = context.logger.child({
      channel: BOTFRAMEWORK_CHANNEL,
      conversationId: message.conversationId,
    });
    let failed: unknown;
    const logic = async (turnContext: TurnContext): Promise<void> => {
      try {
        await references.put(message.conversationId, referenceOf(activity, message));
        await answer(turnContext, message, context, log);
      } catch (error) {
        failed = error ?? new Error('turn failed');
        log.error({ err: error, messageId: message.messageId }, 'turn failed');
      }
    };
    const response = capturedResponse();
    const botRequest: Request = {
      body: request.body as Record<string, unknown>,
      headers: request.headers,
      method: 'POST',
    };
    await auth.adapter.process(botRequest, response.res, logic);
    // A store outage is the channel's to retry: the activity was not recorded as processed.
    if (storeUnavailable(failed)) return unavailableResponse();
    if (failed)
      return refuse(500, 'internal_error', 'Something went wrong on our side. Please try again in a moment.');
    return response.toHttp();
  }

  /** Runs the turn, with typing while it takes time; a turn past the deadline replies out of turn. */
  async function answer(
    turnContext: TurnContext,
    message: Message,
    context: ConnectorContext,
    log: ConnectorContext['logger'],
  ): Promise<void> {
    const turn = context.runtime.handle(message);
    if (turnContext.activity.deliveryMode === 'expectReplies') {
      await sendAll(turnContext, await turn, log);
      return;
    }
    let typing: Promise<unknown> | undefined;
    const typingTimer = setTimeout(() => {
      typing = turnContext.sendActivity(TYPING).catch(() => undefined);
    }, options.typingAfterMs ?? 800);
    let deadlineTimer: NodeJS.Timeout | undefined;
    const deadline = new Promise<undefined>((resolve) => {
      deadlineTimer = setTimeout(() => resolve(undefined), options.answerWithinMs ?? 10_000);
    });
    try {
      const replies = await Promise.race([turn, deadline]);
      clearTimeout(typingTimer);
      await typing;
      if (replies) {
        await sendAll(turnContext, replies, log);
        return;
      }
      log.warn({ messageId: message.messageId }, 'turn outlived the channel deadline: replying out of turn');
      void turn
        .then((late) => sendOutOfTurn(targetOf(message), late))
        .catch((error: unknown) => log.error({ err: error }, 'late turn failed'));
    } finally {
      clearTimeout(typingTimer);
      clearTimeout(deadlineTimer);
    }
  }

  async function sendOutOfTurn(target: OutboxTarget, replies: readonly Reply[]): Promise<number> {
    // References are kept under the connector's own conversation id (the session).
    const reference = await references.get(target.session);
    if (!reference || replies.length === 0) return 0;
    let sent = 0;
    try {
      await auth.adapter.continueConversationAsync(
        auth.appId,
        reference as Partial<ConversationReference>,
        async (turnContext) => {
          for (const activity of renderActivities(replies)) {
            await turnContext.sendActivity(activity);
            sent += 1;
          }
        },
      );
    } catch (error) {
      mounted?.logger.warn(
        { err: error, channel: BOTFRAMEWORK_CHANNEL, conversationId: target.session },
        'out-of-turn delivery failed',
      );
    }
    return sent;
  }

  return {
    name: BOTFRAMEWORK_CHANNEL,
    capabilities: BOTFRAMEWORK_CAPABILITIES,
    toMessage: readBotFrameworkPayload,
    render: (replies) => renderActivities(replies),
    mount(context) {
      mounted = context;
      if (!auth.enabled) {
        context.logger.info(
          { channel: BOTFRAMEWORK_CHANNEL, allowedServiceUrls: allowed },
          'Bot Framework auth is off (no MICROSOFT_APP_ID): keep the server on loopback; replies go only to allowed serviceUrls',
        );
      }
      const route: HttpRoute = {
        method: 'POST',
        path: options.path ?? BOTFRAMEWORK_PATH,
        handle: (request) => handle(request, context),
      };
      return { routes: [route] };
    },
    send: (target, replies) => (mounted ? sendOutOfTurn(target, replies) : Promise.resolve(0)),
  };
}

/**
 * Sends the turn's replies to the channel. The turn itself is done and recorded by now: when the channel
 * refuses the replies (after botbuilder's own retries of transient errors) the request still succeeds, as
 * a channel retry would only be answered from the record into the same refusal.
 */
async function sendAll(
  turnContext: TurnContext,
  replies: readonly Reply[],
  log: ConnectorContext['logger'],
): Promise<void> {
  const activities = renderActivities(replies);
  if (activities.length === 0) return;
  try {
    await turnContext.sendActivities(activities);
  } catch (error) {
    log.warn({ err: error, messageId: turnContext.activity.id }, 'the channel refused the replies');
  }
}

/** What `continueConversationAsync` needs later, and nothing more (no message text, no channel data). */
function referenceOf(activity: InboundActivity, message: Message): JsonObject {
  const { id, tenantId, conversationType, isGroup } = activity.conversation;
  const user =
    activity.type === 'message'
      ? activity.from
      : activity.membersAdded?.find((m) => m.id !== activity.recipient.id);
  return {
    serviceUrl: activity.serviceUrl,
    channelId: activity.channelId,
    conversation: {
      id,
      ...(tenantId ? { tenantId } : {}),
      ...(conversationType ? { conversationType } : {}),
      ...(isGroup !== undefined ? { isGroup } : {}),
    },
    bot: { id: activity.recipient.id, ...(activity.recipient.name ? { name: activity.recipient.name } : {}) },
    user: { id: user?.id ?? message.channelUserId },
    ...(activity.locale ? { locale: activity.locale } : {}),
  };
}

/** The fields botbuilder's token validation reads (`channelId`, `serviceUrl`) were checked by the schema. */
function asBotActivity(activity: InboundActivity): Activity {
  return activity as unknown as Activity;
}

function targetOf(message: Message): OutboxTarget {
  const address = { channel: message.channel, userId: message.channelUserId };
  return { conversationId: message.conversationId, address, session: message.conversationId };
}

function authorization(request: HttpRequest): string {
  const header = request.headers.authorization;
  return typeof header === 'string' ? header : '';
}

/** An activity with no turn in it (typing, a reaction, the bot's own arrival): received, nothing to say. */
function acknowledge(activity: InboundActivity): HttpResponse {
  if (activity.deliveryMode === 'expectReplies') return { status: 200, json: { activities: [] } };
  return { status: 200, raw: '', contentType: 'text/plain; charset=utf-8' };
}

function refuse(status: 400 | 401 | 403 | 500, error: string, detail: string): HttpResponse {
  return { status, json: { error, detail } };
}

/** The minimal response object CloudAdapter.process writes to, turned back into Parley's HttpResponse. */
function capturedResponse(): { res: Response; toHttp(): HttpResponse } {
  let status = 200;
  let body: unknown;
  const res: Response = {
    socket: undefined,
    status: (code: number) => (status = code),
    header: () => undefined,
    send: (value: unknown) => (body = value),
    end: () => undefined,
  };
  return {
    res,
    toHttp() {
      if (body !== undefined && typeof body === 'object' && body !== null) return { status, json: body };
      if (status >= 400)
        return refuse(status >= 500 ? 500 : 400, 'rejected', 'the activity could not be processed');
      return { status, raw: '', contentType: 'text/plain; charset=utf-8' };
    },
  };
}
