import { createSignInThrottle } from './sign-in-throttle';
import type { HttpRoute, SocketEndpoint } from '../core/http';
import type { AttemptCounter, Clock, Logger, MessageBus } from '../core/ports';
import type { AgentDirectory } from './agents';
import type { TokenIssuer } from './tokens';
import type { CaseService } from '../handoff/case-service';
import { createDeskRoutes, type CustomerChannels, type ReplySuggester } from './desk.api';
import { deskPageRoutes } from './desk.page';
import { createDeskPrivacyRoutes } from './privacy.api';
import type { AuditTrail } from '../core/privacy';
import type { PrivacyService } from '../privacy/privacy-service';
import { createDeskSocket } from './desk.socket';
import type { Stores } from '../core/ports';
import type { TypingRelay } from '../core/runtime';
import type { MessageCatalogue } from '../core/messages';
import type { AnalyticsStore } from '../core/analytics';
import { parseDeskConfig, type DeskConfig } from './desk-config';
import { frameworkMessages } from '../locales/load';
import type { DeskContext } from './cases.api';
import { createUnreadCounts } from './unread';
import { createPresence } from './presence';
import { localMidnight, supervisorStats } from './supervisor-stats';

export { type CustomerChannels, type ReplySuggester } from './desk.api';
export { DESK_SOCKET_PATH, type DeskServerFrame } from './desk.protocol';
export { loadDeskConfig, parseDeskConfig, routeToQueue, type DeskConfig } from './desk-config';

export interface AgentDeskOptions {
  cases: CaseService;
  directory: AgentDirectory;
  tokens: TokenIssuer;
  bus: MessageBus;
  /** The store's attempt counters (`Stores.attempts`): sign-in limits hold across processes. */
  attempts: AttemptCounter;
  logger: Logger;
  clock: Clock;
  suggest?: ReplySuggester;
  /** How often the socket pings browsers and checks their tokens again (default 30 s). */
  socketHeartbeatMs?: number;
  /** Lets agents unlink a customer's channel (`POST /api/cases/:id/unlink`). */
  channels?: CustomerChannels;
  /** Serve the page at `/agent` (default) or only the API and socket. */
  page?: boolean;
  /** Subject access and erasure for agents with the `privacy` role, and an audit line per case read. */
  privacy?: { service: PrivacyService; audit: AuditTrail; customerRef: (customerId: string) => string };
  /** What the desk reads besides cases: linked channels, consent, read marks, transcripts. */
  stores: Pick<Stores, 'cases' | 'identities' | 'consent' | 'keyValue' | 'transcripts'> &
    Partial<Pick<Stores, 'conversations'>>;
  /** Typing both ways with customers' live sessions (`runtime.typing`). */
  typing?: TypingRelay;
  /** Queues (routing, SLAs) and canned responses; one `general` queue and none when absent. */
  config?: DeskConfig;
  /** The desk's words (labels, event lines, "signed out because…"): the framework's catalogue when absent. */
  messages?: MessageCatalogue;
  /** The desk's language (default `en`). */
  locale?: string;
  /** Today's containment and CSAT for supervisors (`runtime.analytics.store`). */
  analytics?: Pick<AnalyticsStore, 'read'>;
  /** How often supervisors' sockets get fresh figures (default 10 s). */
  statsIntervalMs?: number;
}

/**
 * The agent desk: the page at `/agent`, the JSON API under `/api/`, and the live socket, as routes and a
 * socket endpoint for `createHttpServer`.
 *
 * @example
 * const desk = await createAgentDesk({ cases, directory, tokens, stores, bus: stores.bus, attempts: stores.attempts, logger, clock });
 * const http = createHttpServer({ runtime, logger, routes: desk.routes, sockets: desk.sockets });
 */
export async function createAgentDesk(options: AgentDeskOptions): Promise<{
  routes: HttpRoute[];
  sockets: SocketEndpoint[];
}> {
  const log = options.logger.child({ component: 'agent-desk' });
  const heartbeatMs = options.socketHeartbeatMs ?? 30_000;
  const presence = await createPresence({
    bus: options.bus,
    clock: options.clock,
    logger: log,
    staleAfterMs: heartbeatMs * 2.5,
  });
  const context: DeskContext = {
    cases: options.cases,
    store: options.stores.cases,
    identities: options.stores.identities,
    consent: options.stores.consent,
    directory: options.directory,
    config: options.config ?? parseDeskConfig({}),
    messages: options.messages ?? frameworkMessages(),
    locale: options.locale ?? 'en',
    clock: options.clock,
    unread: createUnreadCounts(options.stores),
    online: () => presence.online(),
  };
  const stats = () =>
    supervisorStats(
      {
        cases: options.stores.cases,
        config: context.config,
        agents: () => options.directory.list(),
        online: () => presence.online(),
        ...(options.analytics ? { analytics: options.analytics } : {}),
        view: {
          messages: context.messages,
          locale: context.locale,
          config: context.config,
          agentName: () => undefined,
        },
        startOfDay: localMidnight,
      },
      options.clock.now(),
    );
  const routes = createDeskRoutes({
    cases: options.cases,
    directory: options.directory,
    tokens: options.tokens,
    logger: log,
    throttle: createSignInThrottle({ attempts: options.attempts }),
    bus: options.bus,
    ...(options.suggest ? { suggest: options.suggest } : {}),
    ...(options.privacy
      ? {
          auditReads: {
            audit: options.privacy.audit,
            customerRef: options.privacy.customerRef,
            clock: options.clock,
          },
        }
      : {}),
    ...(options.channels ? { channels: options.channels } : {}),
    context,
    stats,
  });
  if (options.privacy) {
    const { service, audit, customerRef } = options.privacy;
    routes.push(...createDeskPrivacyRoutes({ tokens: options.tokens, privacy: service, audit, customerRef }));
  }
  if (options.page !== false) routes.push(...deskPageRoutes());
  const socket = createDeskSocket({
    bus: options.bus,
    tokens: options.tokens,
    logger: log,
    clock: options.clock,
    heartbeatMs,
    context,
    ...(options.typing ? { typing: options.typing } : {}),
    ...(options.stores.conversations ? { conversations: options.stores.conversations } : {}),
    presence,
    stats,
    ...(options.statsIntervalMs ? { statsIntervalMs: options.statsIntervalMs } : {}),
  });
  return { routes, sockets: [socket] };
}
