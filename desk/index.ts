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

export { type CustomerChannels, type ReplySuggester } from './desk.api';
export { DESK_SOCKET_PATH, type DeskServerFrame } from './desk.protocol';

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
}

/**
 * The agent desk: the page at `/agent`, the JSON API under `/api/`, and the live socket, as routes and a
 * socket endpoint for `createHttpServer`.
 *
 * @example
 * const desk = createAgentDesk({ cases, directory, tokens, bus: stores.bus, attempts: stores.attempts, logger, clock });
 * const http = createHttpServer({ runtime, logger, routes: desk.routes, sockets: desk.sockets });
 */
export function createAgentDesk(options: AgentDeskOptions): {
  routes: HttpRoute[];
  sockets: SocketEndpoint[];
} {
  const log = options.logger.child({ component: 'agent-desk' });
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
    ...(options.socketHeartbeatMs ? { heartbeatMs: options.socketHeartbeatMs } : {}),
  });
  return { routes, sockets: [socket] };
}
