import type { HttpRequest, HttpResponse } from '../../core/http';
import type { Message, Reply } from '../../core/message';
import type { MessageCatalogue } from '../../core/messages';
import type { Clock, IdentityStore, Logger } from '../../core/ports';
import type { ConversationRuntime } from '../../core/runtime';
import { ALEXA_CHANNEL, alexaUserKey, toAlexaMessage } from './alexa.inbound';
import { ALEXA_API_ENDPOINT, type ProgressiveSender } from './alexa.progressive';
import { readEnvelope, type AlexaEnvelope } from './alexa.request';
import { EMPTY_RESPONSE, spokenGoodbye, toAlexaResponse, type AlexaResponseBody } from './alexa.render';
import type { AlexaVerifier } from './alexa.verify';

export const ALEXA_WEBHOOK_PATH = '/webhooks/alexa';

/**
 * Account linking: the customer id an access token from the skill's account linking belongs to, looked up
 * by the bot against its own identity provider (undefined when the token is unknown or expired).
 */
export type AlexaAccountLookup = (accessToken: string) => Promise<string | undefined>;

export interface AlexaWebhookDeps {
  runtime: ConversationRuntime;
  logger: Logger;
  clock: Clock;
  verifier: AlexaVerifier;
  messages: MessageCatalogue;
  progressive: ProgressiveSender;
  /** Which `apiEndpoint` values may receive the request's API token (Alexa's own hosts by default). */
  allowApiEndpoint?: (url: string) => boolean;
  /** A turn still running after this gets a progressive response ("One moment…"). */
  progressiveAfterMs: number;
  /** Alexa waits 8 s; a turn still running after this is answered with an apology and the session ends. */
  replyWithinMs: number;
  /** Title of the Alexa app card that shows the bot's words. */
  cardTitle: string;
  accounts?: { lookup: AlexaAccountLookup; identities: Pick<IdentityStore, 'link'> };
}

/**
 * `POST /webhooks/alexa`: a custom skill's endpoint. Every request is verified first (400 and nothing read,
 * stored or answered otherwise); a verified request becomes one turn whose replies go back as SSML.
 */
export function createAlexaWebhook(deps: AlexaWebhookDeps): (request: HttpRequest) => Promise<HttpResponse> {
  const log = deps.logger.child({ channel: ALEXA_CHANNEL });
  const allowApi = deps.allowApiEndpoint ?? ((url: string) => ALEXA_API_ENDPOINT.test(url));

  return async (request) => {
    const verdict = await deps.verifier.verify(request.headers, request.rawBody);
    if (!verdict.ok) {
      log.warn({ detail: verdict.detail }, 'Alexa request refused');
      return { status: 400, json: { error: 'invalid_request', detail: verdict.detail } };
    }
    const read = readEnvelope(verdict.body);
    if (!read.ok) {
      // A verified request of a type this skill does not use (display, audio player events) gets an empty answer.
      if (read.unsupportedType) return answer(EMPTY_RESPONSE);
      return { status: 400, json: { error: 'invalid_request', detail: read.detail } };
    }
    const { envelope } = read;
    await linkAccount(envelope);
    const message = toAlexaMessage(envelope, deps.clock.now());
    if (message.kind === 'end') {
      await deps.runtime.handle(message);
      return answer(EMPTY_RESPONSE);
    }
    return answer(await turn(envelope, message));
  };

  async function turn(envelope: AlexaEnvelope, message: Message): Promise<AlexaResponseBody> {
    const running = deps.runtime.handle(message);
    const timer = setTimeout(() => void holdOn(envelope), deps.progressiveAfterMs);
    let replies: Reply[] | undefined;
    try {
      replies = await withDeadline(running, deps.replyWithinMs);
    } finally {
      clearTimeout(timer);
    }
    if (replies) return toAlexaResponse(replies, deps.cardTitle);
    // Alexa cannot be reached after the 8 s: say so and close, rather than promise a reply that cannot come.
    log.warn({ messageId: message.messageId }, 'turn ran past the Alexa deadline: ending the session');
    running.catch((error: unknown) => log.error({ err: error }, 'late Alexa turn failed'));
    return spokenGoodbye(deps.messages.text(message.locale, 'alexa.tooLong'));
  }

  /** The progressive response; a failure only costs the customer the "one moment". */
  async function holdOn(envelope: AlexaEnvelope): Promise<void> {
    const { apiEndpoint, apiAccessToken } = envelope.context.System;
    if (!apiEndpoint || !apiAccessToken) return;
    if (!allowApi(apiEndpoint)) {
      log.warn({ apiEndpoint }, 'progressive response skipped: not an Alexa API endpoint');
      return;
    }
    const words = deps.messages.text(envelope.request.locale, 'alexa.progressive');
    try {
      await deps.progressive({
        apiEndpoint,
        apiAccessToken,
        requestId: envelope.request.requestId,
        ssml: `<speak>${escapeXml(words)}</speak>`,
      });
    } catch (error) {
      log.warn({ err: error }, 'progressive response failed');
    }
  }

  /** A linked account's token names the customer: this speaker then continues that customer's conversation. */
  async function linkAccount(envelope: AlexaEnvelope): Promise<void> {
    const { accessToken, userId } = envelope.context.System.user;
    const newSession = envelope.session?.new === true || envelope.request.type === 'LaunchRequest';
    if (!deps.accounts || !accessToken || !newSession) return;
    try {
      const customerId = await deps.accounts.lookup(accessToken);
      if (customerId === undefined) return;
      await deps.accounts.identities.link(
        { channel: ALEXA_CHANNEL, userId: alexaUserKey(userId) },
        customerId,
      );
    } catch (error) {
      log.warn({ err: error }, 'account linking look-up failed: continuing as an unknown customer');
    }
  }
}

function answer(body: AlexaResponseBody): HttpResponse {
  return { status: 200, json: body };
}

function escapeXml(text: string): string {
  return text.replace(
    /[&<>"']/g,
    (char) => `&${{ '&': 'amp', '<': 'lt', '>': 'gt', '"': 'quot', "'": 'apos' }[char]};`,
  );
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
