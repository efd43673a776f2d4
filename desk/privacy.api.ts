import type { HttpRequest, HttpResponse, HttpRoute } from '../core/http';
import { identifierProblem } from '../core/identifiers';
import type { AuditTrail } from '../core/privacy';
import { bearerToken } from '../connectors/shared/bearer';
import { renderExportHtml } from '../privacy/export-html';
import type { PrivacyService } from '../privacy/privacy-service';
import type { Agent } from './agents';
import type { TokenIssuer } from './tokens';

export interface DeskPrivacyDeps {
  tokens: TokenIssuer;
  privacy: PrivacyService;
  audit: AuditTrail;
  customerRef: (customerId: string) => string;
}

const denied = (status: number, code: string, detail: string): HttpResponse => ({
  status,
  json: { error: code, detail },
});

/**
 * Subject access and erasure for agents with the `privacy` role, who verified the customer by their own
 * procedure (the request is audited under the agent's name and address):
 * `GET /api/privacy/customers/:id/export` (JSON, or `?format=html`), `POST /api/privacy/customers/:id/erase`,
 * `GET /api/privacy/audit?customer=<id>` (the audit trail about one customer, or all of it).
 */
export function createDeskPrivacyRoutes(deps: DeskPrivacyDeps): HttpRoute[] {
  const privacyAgent =
    (handler: (request: HttpRequest, agent: Agent, customerId: string) => Promise<HttpResponse>) =>
    async (request: HttpRequest): Promise<HttpResponse> => {
      const token = bearerToken(request.headers.authorization);
      const verified = token ? await deps.tokens.verify(token) : undefined;
      if (!verified) return denied(401, 'unauthorized', 'a valid bearer token is required');
      if (!verified.agent.roles?.includes('privacy'))
        return denied(403, 'forbidden', 'this needs an agent with the privacy role');
      const customerId = request.params.id ?? request.query.get('customer') ?? '';
      const problem = customerId === '' ? undefined : identifierProblem(customerId);
      if (problem) return denied(400, 'invalid_request', `customer: ${problem}`);
      return handler(request, verified.agent, customerId);
    };
  const requestOf = (request: HttpRequest, agent: Agent) => ({
    actor: { kind: 'agent' as const, id: agent.username },
    ...(request.remoteAddress ? { from: request.remoteAddress } : {}),
  });
  return [
    {
      method: 'GET',
      path: '/api/privacy/customers/:id/export',
      handle: privacyAgent(async (request, agent, customerId) => {
        const data = await deps.privacy.exportCustomer(customerId, requestOf(request, agent));
        if (request.query.get('format') === 'html')
          return { status: 200, raw: renderExportHtml(data), contentType: 'text/html; charset=utf-8' };
        return { status: 200, json: data };
      }),
    },
    {
      method: 'POST',
      path: '/api/privacy/customers/:id/erase',
      body: 'raw',
      handle: privacyAgent(async (request, agent, customerId) => {
        const report = await deps.privacy.eraseCustomer(customerId, requestOf(request, agent));
        return {
          status: 200,
          json: { erased: report.erased, caseIds: report.caseIds, hubNotice: report.hubNotice ?? null },
        };
      }),
    },
    {
      method: 'GET',
      path: '/api/privacy/audit',
      handle: privacyAgent(async (_request, _agent, customerId) => {
        const filter = customerId ? { customerRef: deps.customerRef(customerId) } : {};
        return { status: 200, json: { events: await deps.audit.list(filter) } };
      }),
    },
  ];
}
