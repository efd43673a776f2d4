import type { SignInThrottle } from './sign-in-throttle';
import { z } from 'zod';
import type { HttpRequest, HttpResponse, HttpRoute } from '../core/http';
import { TOKEN_REVOKED_TOPIC } from './desk.protocol';
import { frameworkMessages } from '../locales/load';
import { createGuard, httpError, SUPERVISES, WORKS_CASES, type Authed } from './access';
import { agentView, caseDetail, createCaseRoutes, type DeskContext } from './cases.api';
import type { SupervisorStats } from './desk.views';
import type { Case } from '../core/case';
import type { AuditTrail } from '../core/privacy';
import { CHANNEL_NAME } from '../core/message';
import type { Clock, Logger, MessageBus } from '../core/ports';
import type { Agent, AgentDirectory } from './agents';
import type { TokenIssuer } from './tokens';
import { CaseConflictError, CaseNotFoundError, type CaseService } from '../handoff/case-service';
import { ConversationNotFoundError } from '../handoff/delivery';
import { describeIssues } from '../connectors/rest/rest.connector';

/** Replies an agent may send as they are or edit (`handoff/assist`'s `createReplySuggester`). */
export interface ReplySuggester {
  suggest(item: Case, limit?: number): Promise<{ text: string; fromCaseId?: string; score?: number }[]>;
}

export interface DeskApiDeps {
  cases: CaseService;
  directory: AgentDirectory;
  tokens: TokenIssuer;
  logger: Logger;
  suggest?: ReplySuggester;
  /** Refuses sign-ins after repeated wrong passwords, per username and address and per address. */
  throttle: SignInThrottle;
  /** Tells every process's desk socket that a token was revoked (`TOKEN_REVOKED_TOPIC`). */
  bus: MessageBus;
  /** Records every agent's read of a case (who, which case, whose data, from where). */
  auditReads?: { audit: AuditTrail; customerRef: (customerId: string) => string; clock: Clock };
  /** Unlinks one of a case customer's channels (`linking/`); false when it is not theirs to unlink. */
  channels?: CustomerChannels;
  /**
   * Queues, views, search, unread marks and the customer panel (`cases.api.ts`). Without it only the core
   * routes are served (sign-in, a case's detail, reply, note, resolve): what a test of one of them needs.
   */
  context?: DeskContext;
  /** The supervisor's figures now (`supervisor-stats.ts`). */
  stats?: () => Promise<SupervisorStats>;
}

export interface CustomerChannels {
  unlink(caseId: string, address: { channel: string; userId: string }): Promise<boolean>;
}

const MAX_TEXT = 2000;
const login = z.object({ username: z.string().min(1).max(64), password: z.string().min(1).max(256) });
const text = z.object({ text: z.string().trim().min(1).max(MAX_TEXT) });
const resolve = z.object({ handBack: z.boolean() });
const unlink = z.object({ channel: z.string().regex(CHANNEL_NAME), userId: z.string().min(1).max(256) });
const error = httpError;

/** Maps the case service's refusals to HTTP; anything else is the server's 500. */
function refusal(cause: unknown): HttpResponse {
  if (cause instanceof CaseNotFoundError) return error(404, 'not_found', `case ${cause.caseId} not found`);
  if (cause instanceof CaseConflictError) return error(409, 'conflict', cause.message);
  if (cause instanceof ConversationNotFoundError) {
    return error(409, 'conflict', 'the conversation of this case no longer exists');
  }
  throw cause;
}

function parseBody<T>(
  schema: z.ZodType<T>,
  body: unknown,
): { ok: true; value: T } | { ok: false; response: HttpResponse } {
  const parsed = schema.safeParse(body);
  if (parsed.success) return { ok: true, value: parsed.data };
  return { ok: false, response: error(400, 'invalid_request', describeIssues(parsed.error)) };
}

/**
 * The agent desk's JSON API under `/api/` (documented in the README). Every route but login needs
 * `Authorization: Bearer <token>`; errors are `{ error, detail }` with 400, 401, 404 or 409.
 */
export function createDeskRoutes(deps: DeskApiDeps): HttpRoute[] {
  const { cases, tokens } = deps;

  const guard = createGuard({
    tokens,
    messages: deps.context?.messages ?? frameworkMessages(),
    locale: deps.context?.locale ?? 'en',
    refusal,
  });
  const authed = (handler: Authed) => guard(WORKS_CASES, handler);

  const withText = (act: (id: string, agent: Agent, text: string) => Promise<object[]>) =>
    authed(async (request, agent) => {
      const body = parseBody(text, request.body);
      if (!body.ok) return body.response;
      const entries = await act(caseId(request), agent, body.value.text);
      return { status: 201, json: { entries } };
    });

  const routes: HttpRoute[] = [
    { method: 'POST', path: '/api/agent/login', handle: (request) => signIn(deps, request) },
    {
      method: 'POST',
      path: '/api/agent/logout',
      body: 'raw',
      handle: guard('signed-in', async (_r, agent, token) => {
        await tokens.revoke(token);
        await deps.bus.publish(TOKEN_REVOKED_TOPIC, { tokenId: token.tokenId });
        deps.logger.info({ agent: agent.username }, 'agent signed out');
        return { status: 200, json: { signedOut: true } };
      }),
    },
    {
      method: 'GET',
      path: '/api/agent/me',
      handle: guard('signed-in', async (_r, agent) => ({ status: 200, json: { agent: agentView(agent) } })),
    },

    {
      method: 'GET',
      path: '/api/cases/:id',
      handle: authed(async (request, agent) => {
        const detail = await cases.get(caseId(request));
        const audit = deps.auditReads;
        if (audit) {
          await audit.audit.append({
            at: audit.clock.now(),
            actor: { kind: 'agent', id: agent.username },
            action: 'read',
            target: `case:${detail.case.id}`,
            customerRef: audit.customerRef(detail.case.customerId),
            ...(request.remoteAddress ? { from: request.remoteAddress } : {}),
          });
        }
        const json = deps.context ? await caseDetail(deps.context, detail, agent) : detail;
        return { status: 200, json };
      }),
    },
    { method: 'POST', path: '/api/cases/:id/messages', handle: withText(cases.message) },
    { method: 'POST', path: '/api/cases/:id/notes', handle: withText(cases.note) },
    {
      method: 'POST',
      path: '/api/cases/:id/resolve',
      handle: authed(async (request, agent) => {
        const body = parseBody(resolve, request.body);
        if (!body.ok) return body.response;
        return { status: 200, json: { case: await cases.resolve(caseId(request), agent, body.value) } };
      }),
    },
  ];
  const { context, stats } = deps;
  if (context) routes.push(...createCaseRoutes(context, guard));
  if (stats) {
    routes.push({
      method: 'GET',
      path: '/api/supervisor/stats',
      handle: guard(SUPERVISES, async () => ({ status: 200, json: await stats() })),
    });
  }
  const channels = deps.channels;
  if (channels) {
    routes.push({
      method: 'POST',
      path: '/api/cases/:id/unlink',
      handle: authed(async (request, agent) => {
        const body = parseBody(unlink, request.body);
        if (!body.ok) return body.response;
        await cases.get(caseId(request));
        if (!(await channels.unlink(caseId(request), body.value)))
          return error(409, 'conflict', "not a linked channel of this case's customer");
        deps.logger.info({ agent: agent.username, caseId: caseId(request) }, 'agent unlinked a channel');
        return { status: 200, json: await cases.get(caseId(request)) };
      }),
    });
  }
  const suggest = deps.suggest;
  if (suggest) {
    routes.push({
      method: 'GET',
      path: '/api/cases/:id/suggestions',
      handle: authed(async (request) => {
        const { case: item } = await cases.get(caseId(request));
        return { status: 200, json: { suggestions: (await suggest.suggest(item, 3)).slice(0, 3) } };
      }),
    });
  }
  return routes;
}

function caseId(request: HttpRequest): string {
  return request.params.id ?? '';
}

async function signIn(deps: DeskApiDeps, request: HttpRequest): Promise<HttpResponse> {
  const body = parseBody(login, request.body);
  if (!body.ok) return body.response;
  const { username, password } = body.value;
  const address = request.remoteAddress ?? 'unknown';
  // Reserved before the (slow) password check, so guesses sent at once cannot all be checked.
  const reservation = await deps.throttle.reserve(username, address);
  if (!reservation.ok) {
    const seconds = Math.max(1, Math.ceil(reservation.retryAfterMs / 1000));
    deps.logger.warn({ username, address }, 'agent sign-in throttled after repeated failures');
    return error(429, 'too_many_attempts', `too many failed sign-ins; try again in ${seconds} s`, {
      'retry-after': String(seconds),
    });
  }
  const agent = await deps.directory.authenticate(username, password);
  if (!agent) {
    deps.logger.warn({ username, address }, 'agent sign-in refused');
    return error(401, 'invalid_credentials', 'unknown username or wrong password');
  }
  await reservation.attempt.succeeded();
  deps.logger.info({ agent: agent.username }, 'agent signed in');
  return { status: 200, json: { token: await deps.tokens.issue(agent), agent: agentView(agent) } };
}
