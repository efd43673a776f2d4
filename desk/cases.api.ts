import { z } from 'zod';
import type { Case } from '../core/case';
import type { HttpRequest, HttpResponse, HttpRoute } from '../core/http';
import type { MessageCatalogue } from '../core/messages';
import type { CaseStore, Clock, IdentityStore } from '../core/ports';
import type { ConsentLedger } from '../core/privacy';
import type { Agent, AgentDirectory } from './agents';
import type { CaseService } from '../handoff/case-service';
import type { DeskConfig } from './desk-config';
import { caseView, type CaseViewContext } from './case-view';
import { lineView } from './event-lines';
import { caseQuery, searchCases } from './case-search';
import { customerPanel } from './customer-panel';
import { placeholderValues, renderCanned } from './canned';
import type { UnreadCounts } from './unread';
import { hasRole, httpError, rolesOf, SUPERVISES, WORKS_CASES, type Access, type Authed } from './access';
import type { AgentView } from './desk.views';
import { describeIssues } from '../connectors/rest/rest.connector';

/** What the desk's case, queue and agent routes read. */
export interface DeskContext {
  cases: CaseService;
  store: Pick<CaseStore, 'get' | 'list' | 'listByCustomer'>;
  identities: Pick<IdentityStore, 'addresses' | 'scope'>;
  consent: Pick<ConsentLedger, 'history'>;
  directory: AgentDirectory;
  config: DeskConfig;
  messages: MessageCatalogue;
  /** The desk's language for labels and event lines. */
  locale: string;
  clock: Clock;
  unread: UnreadCounts;
  /** Agents with a desk open now (`presence.ts`). */
  online: () => Set<string>;
}

type Guard = (access: Access, handler: Authed) => (request: HttpRequest) => Promise<HttpResponse>;

const assignBody = z
  .object({ agent: z.string().min(1).max(64), note: z.string().trim().max(2000).optional() })
  .strict();
const transferBody = z
  .object({
    queue: z.string().min(1).max(64).optional(),
    agent: z.string().min(1).max(64).optional(),
    note: z.string().trim().max(2000).optional(),
  })
  .strict()
  .refine((b) => (b.queue === undefined) !== (b.agent === undefined), 'give exactly one of queue or agent');

const parse = <T>(
  schema: z.ZodType<T>,
  value: unknown,
): { ok: true; value: T } | { ok: false; response: HttpResponse } => {
  const parsed = schema.safeParse(value);
  return parsed.success
    ? { ok: true, value: parsed.data }
    : { ok: false, response: httpError(400, 'invalid_request', describeIssues(parsed.error)) };
};

export function agentView(agent: Agent): AgentView {
  return {
    username: agent.username,
    name: agent.name,
    roles: rolesOf(agent),
    skills: { queues: agent.skills?.queues ?? [], languages: agent.skills?.languages ?? [] },
  };
}

/** Whether the agent's skills cover the case's queue and language (no list = any). */
export function skilledFor(agent: Agent, item: Pick<Case, 'queue' | 'language'>): boolean {
  const queues = agent.skills?.queues ?? [];
  const languages = agent.skills?.languages ?? [];
  const language = item.language?.toLowerCase().split(/[-_]/)[0];
  return (
    (queues.length === 0 || queues.includes(item.queue)) &&
    (languages.length === 0 || language === undefined || languages.includes(language))
  );
}

export function viewContext(ctx: DeskContext, names: Map<string, string>): CaseViewContext {
  return {
    messages: ctx.messages,
    locale: ctx.locale,
    config: ctx.config,
    agentName: (username) => names.get(username),
    now: ctx.clock.now(),
  };
}

async function agentNames(ctx: DeskContext): Promise<Map<string, string>> {
  return new Map((await ctx.directory.list()).map((a) => [a.username, a.name]));
}

async function loadCase(ctx: DeskContext, id: string): Promise<Case> {
  return (await ctx.cases.get(id)).case;
}

const caseIdOf = (request: HttpRequest) => request.params.id ?? '';

async function listCases(ctx: DeskContext, request: HttpRequest, agent: Agent): Promise<HttpResponse> {
  const query = parse(caseQuery, Object.fromEntries(request.query));
  if (!query.ok) return query.response;
  const { status, offset, limit } = query.value;
  const all =
    status === 'all' || status === 'open' ? await ctx.store.list() : await ctx.store.list({ status });
  const { page, total } = searchCases(all, query.value);
  const context = viewContext(ctx, await agentNames(ctx));
  const cases = await Promise.all(
    page.map(async (item) => ({
      ...caseView(item, context),
      unread: await ctx.unread.unread(agent.username, item),
    })),
  );
  return { status: 200, json: { cases, total, offset, limit } };
}

/** Gives the case to `username` if they work cases and hold its queue's and language's skills. */
async function giveTo(ctx: DeskContext, item: Case, by: Agent, username: string, note?: string) {
  const record = await ctx.directory.find(username);
  if (!record) return httpError(404, 'not_found', `no agent ${username}`);
  if (!hasRole(record.agent, WORKS_CASES))
    return httpError(409, 'conflict', `${username} does not work cases`);
  if (!skilledFor(record.agent, item)) {
    const why = `${record.agent.name} does not work the ${item.queue} queue or its language`;
    return httpError(409, 'conflict', why);
  }
  return { status: 200, json: { case: await ctx.cases.assign(item.id, by, record.agent, note) } };
}

/** Claim (by skill; supervisors any queue), assign (supervisors) and transfer (the owner or a supervisor). */
function moveRoutes(ctx: DeskContext, guard: Guard): HttpRoute[] {
  const claim: Authed = async (request, agent) => {
    const item = await loadCase(ctx, caseIdOf(request));
    if (!hasRole(agent, SUPERVISES) && !skilledFor(agent, item)) {
      return httpError(
        403,
        'forbidden',
        `you do not work the ${item.queue} queue or this customer's language`,
      );
    }
    return { status: 200, json: { case: await ctx.cases.claim(item.id, agent) } };
  };
  const assign: Authed = async (request, agent) => {
    const body = parse(assignBody, request.body);
    if (!body.ok) return body.response;
    return giveTo(ctx, await loadCase(ctx, caseIdOf(request)), agent, body.value.agent, body.value.note);
  };
  const transfer: Authed = async (request, agent) => {
    const body = parse(transferBody, request.body);
    if (!body.ok) return body.response;
    const item = await loadCase(ctx, caseIdOf(request));
    if (!hasRole(agent, SUPERVISES) && item.owner !== agent.username) {
      return httpError(403, 'forbidden', 'only the case owner or a supervisor may transfer it');
    }
    const { queue, agent: to, note } = body.value;
    if (to !== undefined) return giveTo(ctx, item, agent, to, note);
    const target = ctx.config.queues.find((q) => q.id === queue);
    if (!target) return httpError(400, 'invalid_request', `no queue ${queue}`);
    return { status: 200, json: { case: await ctx.cases.transfer(item.id, agent, target, note) } };
  };
  return [
    { method: 'POST', path: '/api/cases/:id/claim', body: 'raw', handle: guard(WORKS_CASES, claim) },
    { method: 'POST', path: '/api/cases/:id/assign', handle: guard(SUPERVISES, assign) },
    { method: 'POST', path: '/api/cases/:id/transfer', handle: guard(WORKS_CASES, transfer) },
  ];
}

/** What the desk shows beside a case: unread marks, the customer panel, canned responses. */
function sideRoutes(ctx: DeskContext, guard: Guard): HttpRoute[] {
  const read: Authed = async (request, agent) => {
    await ctx.unread.markRead(agent.username, await loadCase(ctx, caseIdOf(request)));
    return { status: 200, json: { unread: 0 } };
  };
  const customer: Authed = async (request) => {
    const item = await loadCase(ctx, caseIdOf(request));
    return { status: 200, json: await customerPanel(item, { ...ctx, cases: ctx.store }) };
  };
  const canned: Authed = async (request, agent) => {
    const item = await loadCase(ctx, caseIdOf(request));
    const label = ctx.config.queues.find((q) => q.id === item.queue)?.label ?? item.queue;
    const values = placeholderValues(item, agent, label);
    return { status: 200, json: { responses: ctx.config.canned.map((r) => renderCanned(r, values)) } };
  };
  return [
    { method: 'POST', path: '/api/cases/:id/read', body: 'raw', handle: guard(WORKS_CASES, read) },
    { method: 'GET', path: '/api/cases/:id/customer', handle: guard(WORKS_CASES, customer) },
    { method: 'GET', path: '/api/cases/:id/canned', handle: guard(WORKS_CASES, canned) },
  ];
}

/** The queues with their counts, and (supervisors) the agents and who is online. */
function teamRoutes(ctx: DeskContext, guard: Guard): HttpRoute[] {
  const queues: Authed = async () => {
    const open = [
      ...(await ctx.store.list({ status: 'queued' })),
      ...(await ctx.store.list({ status: 'assigned' })),
    ];
    const count = (id: string, status: Case['status']) =>
      open.filter((c) => c.queue === id && c.status === status).length;
    const list = ctx.config.queues.map((q) => ({
      id: q.id,
      label: q.label,
      slaMs: q.slaMs,
      queued: count(q.id, 'queued'),
      assigned: count(q.id, 'assigned'),
    }));
    return { status: 200, json: { queues: list } };
  };
  const agents: Authed = async () => {
    const online = ctx.online();
    const list = (await ctx.directory.list()).map((a) => ({
      ...agentView(a),
      online: online.has(a.username),
    }));
    return { status: 200, json: { agents: list } };
  };
  return [
    { method: 'GET', path: '/api/queues', handle: guard(WORKS_CASES, queues) },
    { method: 'GET', path: '/api/agents', handle: guard(SUPERVISES, agents) },
  ];
}

/**
 * Case lists and search, claim by skill, assignment and transfer, unread marks, the customer panel, canned
 * responses, queues and agents. Contract: docs/desk-api.md.
 */
export function createCaseRoutes(ctx: DeskContext, guard: Guard): HttpRoute[] {
  return [
    {
      method: 'GET',
      path: '/api/cases',
      handle: guard(WORKS_CASES, (request, agent) => listCases(ctx, request, agent)),
    },
    ...moveRoutes(ctx, guard),
    ...sideRoutes(ctx, guard),
    ...teamRoutes(ctx, guard),
  ];
}

/** The case as `GET /api/cases/:id` returns it: the record, its view, and the transcript in plain words. */
export async function caseDetail(
  ctx: DeskContext,
  detail: Awaited<ReturnType<CaseService['get']>>,
  agent: Agent,
) {
  const context = viewContext(ctx, await agentNames(ctx));
  const words = { messages: ctx.messages, locale: ctx.locale };
  return {
    ...detail,
    view: { ...caseView(detail.case, context), unread: await ctx.unread.unread(agent.username, detail.case) },
    lines: detail.transcript.map((entry) => lineView(entry, words)),
  };
}
