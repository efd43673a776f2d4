import type { Connector, ConnectorContext, ConnectorMount, PayloadResult } from '../../core/connector';
import type { MessageCatalogue } from '../../core/messages';
import type { IdentityStore } from '../../core/ports';
import { frameworkMessages } from '../../locales/load';
import type { ChainFetcher } from './alexa.certificates';
import { ALEXA_CHANNEL, toAlexaMessage } from './alexa.inbound';
import { createProgressiveSender, type ProgressiveSender } from './alexa.progressive';
import { readEnvelope } from './alexa.request';
import { ALEXA_CAPABILITIES, toAlexaResponse, type AlexaResponseBody } from './alexa.render';
import { createAlexaVerifier } from './alexa.verify';
import type { X509Certificate } from 'node:crypto';
import { ALEXA_WEBHOOK_PATH, createAlexaWebhook, type AlexaAccountLookup } from './alexa.webhook';

export interface AlexaOptions {
  /** The skill's application id (`amzn1.ask.skill.…`, the developer console's "Skill ID"). */
  skillId: string;
  /** The framework's and the bot's sentences: the progressive response and the too-long apology. */
  messages?: MessageCatalogue;
  /** Title of the Alexa app card that shows the bot's words (e.g. "Acme support"). */
  cardTitle?: string;
  /** Account linking: the bot's look-up from access token to customer, and where to link the speaker. */
  accounts?: { lookup: AlexaAccountLookup; identities: Pick<IdentityStore, 'link'> };
  /** After this long a turn gets "One moment while I look that up" (default 1,500 ms). */
  progressiveAfterMs?: number;
  /** Alexa's limit is 8 s; past this the customer hears an apology and the session ends (default 7,000 ms). */
  replyWithinMs?: number;
  /**
   * For tests only: a local CA instead of the bundled Mozilla roots and Amazon's S3, a local Progressive
   * Response API, and which API endpoints may receive a request's token.
   */
  testOnly?: {
    trustedRoots: readonly X509Certificate[];
    fetchChain: ChainFetcher;
    progressive?: ProgressiveSender;
    allowApiEndpoint?: (url: string) => boolean;
  };
}

/**
 * Alexa custom skills on `POST /webhooks/alexa`: Amazon's request verification on every request, Parley's
 * NLU behind a catch-all intent, SSML answers with reprompts, progressive responses for slow turns.
 * A speaker cannot be reached outside a request, so the connector has no `send`.
 *
 * @example
 * if (config.alexa) connectors.register(createAlexaConnector({ ...config.alexa, messages: runtime.messages }));
 */
export function createAlexaConnector(options: AlexaOptions): Connector<AlexaResponseBody> {
  const cardTitle = options.cardTitle ?? 'Support';
  function mount(context: ConnectorContext): ConnectorMount {
    const testOnly = options.testOnly;
    const verifier = createAlexaVerifier({
      skillId: options.skillId,
      clock: context.clock,
      ...(testOnly
        ? { testOnly: { trustedRoots: testOnly.trustedRoots, fetchChain: testOnly.fetchChain } }
        : {}),
    });
    const handle = createAlexaWebhook({
      runtime: context.runtime,
      logger: context.logger,
      clock: context.clock,
      verifier,
      messages: options.messages ?? frameworkMessages(),
      progressive: testOnly?.progressive ?? createProgressiveSender(),
      ...(testOnly?.allowApiEndpoint ? { allowApiEndpoint: testOnly.allowApiEndpoint } : {}),
      progressiveAfterMs: options.progressiveAfterMs ?? 1500,
      replyWithinMs: options.replyWithinMs ?? 7000,
      cardTitle,
      ...(options.accounts ? { accounts: options.accounts } : {}),
    });
    return { routes: [{ method: 'POST', path: ALEXA_WEBHOOK_PATH, body: 'raw', handle }] };
  }

  return {
    name: ALEXA_CHANNEL,
    capabilities: ALEXA_CAPABILITIES,
    mount,
    toMessage: (payload, { clock }): PayloadResult => {
      const read = readEnvelope(payload);
      if (!read.ok) return { ok: false, detail: read.detail };
      return { ok: true, message: { ...toAlexaMessage(read.envelope, clock.now()), raw: payload } };
    },
    render: (replies) => toAlexaResponse(replies, cardTitle),
  };
}

export { ALEXA_WEBHOOK_PATH } from './alexa.webhook';
export type { AlexaAccountLookup } from './alexa.webhook';
