import type { MessageCatalogue } from '../core/messages';
import { randomBytes } from 'node:crypto';
import type { HttpRoute, SocketEndpoint } from '../core/http';
import type { Clock, Logger, Stores } from '../core/ports';
import { createAgentDirectory, demoAccount, loadAccountsFile, type AgentAccount } from './agents';
import { createReplySuggester } from '../handoff/assist/reply-suggester';
import { createCaseService, type CaseService } from '../handoff/case-service';
import type { Delivery } from '../handoff/delivery';
import type { CustomerChannels, ReplySuggester } from './desk.api';
import { createAgentDesk, type AgentDeskOptions } from './index';
import { createTokenIssuer, type TokenIssuer } from './tokens';
import { consentGate } from '../core/privacy';
import type { AnalyticsRecorder } from '../analytics/recorder';
import type { AnalyticsStore } from '../core/analytics';
import type { DeskConfig } from './desk-config';
import type { TypingRelay } from '../core/runtime';
import { persistedTokenSecret } from './token-secret';

/** The desk's settings, parsed from configuration once (`app/config.ts`). */
export interface DeskSettings {
  /** Always signs in; `npm start` prints it. */
  demoAgent?: { username: string; password: string };
  /** A JSON array of `{ username, name, passwordHash }` (see `desk/agents.ts`). */
  agentsFile?: string;
  /** Shared by every server process so a token from one works on all. */
  tokenSecret?: string;
  /**
   * Without `tokenSecret`: a file holding the secret, created once, so sign-ins survive a restart
   * (`.parley/agent-token-secret` by default). Without either, a random secret per process.
   */
  tokenSecretFile?: string;
  /** Queues and canned responses (the bot's `desk.yaml`). */
  config?: DeskConfig;
  /** The desk's language for labels and event lines (default `en`). */
  locale?: string;
  /** "You're now chatting with Sam from <companyName>." */
  companyName?: string;
}

export interface DeskSetupDeps {
  stores: Pick<
    Stores,
    | 'cases'
    | 'transcripts'
    | 'bus'
    | 'attempts'
    | 'revokedTokens'
    | 'consent'
    | 'identities'
    | 'keyValue'
    | 'conversations'
  >;
  /** Typing indicators with customers' live sessions (`runtime.typing`). */
  typing?: TypingRelay;
  delivery: Delivery;
  logger: Logger;
  clock: Clock;
  /** Defaults to suggestions from similar resolved cases (`handoff/assist`). */
  suggest?: ReplySuggester;
  /** Lets agents unlink a customer's channel. */
  channels?: CustomerChannels;
  /** What customers are told when an agent joins or closes, per locale (the framework's when absent). */
  messages?: MessageCatalogue;
  /** Subject access and erasure for `privacy` agents; every case read audited (see `createAgentDesk`). */
  privacy?: AgentDeskOptions['privacy'];
  /** Counts agents' actions (`analytics/`). */
  analytics?: AnalyticsRecorder;
  /** Today's containment and CSAT on the supervisor's view. */
  analyticsStore?: Pick<AnalyticsStore, 'read'>;
}

/**
 * Builds the whole agent desk for a runtime: accounts (file plus demo agent), tokens, the case service,
 * and the HTTP routes and socket to hand to `createHttpServer`.
 *
 * @example
 * const desk = await setUpAgentDesk(config.desk, { stores: runtime.stores, delivery: runtime, logger, clock });
 * createHttpServer({ runtime, logger, routes: desk.routes, sockets: desk.sockets });
 */
export async function setUpAgentDesk(
  settings: DeskSettings,
  deps: DeskSetupDeps,
): Promise<{ routes: HttpRoute[]; sockets: SocketEndpoint[]; cases: CaseService; tokens: TokenIssuer }> {
  const accounts: AgentAccount[] = settings.agentsFile ? await loadAccountsFile(settings.agentsFile) : [];
  if (settings.demoAgent && !accounts.some((a) => a.username === settings.demoAgent?.username)) {
    accounts.push(await demoAccount(settings.demoAgent));
  }
  const secret =
    settings.tokenSecret ??
    (settings.tokenSecretFile ? await persistedTokenSecret(settings.tokenSecretFile) : undefined);
  if (!secret) {
    deps.logger.warn(
      {},
      'no agent token secret (PARLEY_AGENT_TOKEN_SECRET or its file): tokens are valid on this process only and until it restarts',
    );
  }
  const cases = createCaseService({
    stores: deps.stores,
    delivery: deps.delivery,
    clock: deps.clock,
    logger: deps.logger,
    ...(settings.companyName ? { companyName: settings.companyName } : {}),
    ...(deps.messages ? { messages: deps.messages } : {}),
    ...(deps.analytics ? { analytics: deps.analytics } : {}),
  });
  const directory = await createAgentDirectory(accounts);
  const consents = consentGate(deps.stores.consent, 'transcript_storage');
  const tokens = createTokenIssuer({
    secret: secret ?? randomBytes(32),
    clock: deps.clock,
    directory,
    revoked: deps.stores.revokedTokens,
  });
  const desk = await createAgentDesk({
    stores: deps.stores,
    ...(deps.typing ? { typing: deps.typing } : {}),
    ...(settings.config ? { config: settings.config } : {}),
    ...(settings.locale ? { locale: settings.locale } : {}),
    ...(deps.messages ? { messages: deps.messages } : {}),
    ...(deps.analyticsStore ? { analytics: deps.analyticsStore } : {}),
    cases,
    directory,
    tokens,
    bus: deps.stores.bus,
    attempts: deps.stores.attempts,
    logger: deps.logger,
    clock: deps.clock,
    suggest:
      deps.suggest ??
      createReplySuggester({
        cases: deps.stores.cases,
        transcripts: deps.stores.transcripts,
        // Learning from one customer's case to help another is use beyond the service: it needs consent.
        mayUse: (item) => consents(item.customerId),
      }),
    ...(deps.privacy ? { privacy: deps.privacy } : {}),
    ...(deps.channels ? { channels: deps.channels } : {}),
  });
  return { ...desk, cases, tokens };
}
