import type { AgentRole } from '../core/case';
import type { HttpRequest, HttpResponse } from '../core/http';
import type { MessageCatalogue } from '../core/messages';
import { bearerToken } from '../connectors/shared/bearer';
import type { Agent } from './agents';
import type { TokenIssuer, VerifiedToken } from './tokens';
import type { SignedOutReason } from './desk.views';

/** Who may call a route: any signed-in person, or only those holding one of these roles. */
export type Access = 'signed-in' | readonly AgentRole[];

/** Working cases: agents and supervisors (a privacy officer alone does not). */
export const WORKS_CASES: readonly AgentRole[] = ['agent', 'supervisor'];
export const SUPERVISES: readonly AgentRole[] = ['supervisor'];

/** An account's roles; an account without any is an agent. */
export function rolesOf(agent: Agent): AgentRole[] {
  return agent.roles && agent.roles.length > 0 ? [...agent.roles] : ['agent'];
}

export function hasRole(agent: Agent, roles: readonly AgentRole[]): boolean {
  return rolesOf(agent).some((role) => roles.includes(role));
}

export const httpError = (
  status: number,
  code: string,
  detail: string,
  headers?: Record<string, string>,
) => ({
  status,
  json: { error: code, detail },
  ...(headers ? { headers } : {}),
});

export type Authed = (request: HttpRequest, agent: Agent, token: VerifiedToken) => Promise<HttpResponse>;

/** "Signed out because …", in the desk's locale. */
export function signedOutDetail(messages: MessageCatalogue, locale: string, reason: SignedOutReason): string {
  return messages.text(locale, `desk.signedOut.${reason}`);
}

/**
 * Wraps a handler with the bearer-token check and the route's roles: 401 with the reason the session is
 * not valid (`{ error: 'unauthorized', reason, detail }`), 403 when the role is missing.
 */
export function createGuard(options: {
  tokens: TokenIssuer;
  messages: MessageCatalogue;
  locale: string;
  refusal: (cause: unknown) => HttpResponse;
}) {
  const { tokens, messages, locale } = options;
  return (access: Access, handler: Authed) =>
    async (request: HttpRequest): Promise<HttpResponse> => {
      const token = bearerToken(request.headers.authorization);
      const checked = token ? await tokens.check(token) : { ok: false as const, reason: 'missing' as const };
      if (!checked.ok) {
        return {
          status: 401,
          json: {
            error: 'unauthorized',
            reason: checked.reason,
            detail: signedOutDetail(messages, locale, checked.reason),
          },
          headers: { 'www-authenticate': 'Bearer realm="parley-agent"' },
        };
      }
      const { agent } = checked.token;
      if (access !== 'signed-in' && !hasRole(agent, access)) {
        return httpError(403, 'forbidden', `this needs the ${access.join(' or ')} role`);
      }
      try {
        return await handler(request, agent, checked.token);
      } catch (cause) {
        return options.refusal(cause);
      }
    };
}
