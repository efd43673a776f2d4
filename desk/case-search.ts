import { z } from 'zod';
import type { Case } from '../core/case';
import { CASE_STATUSES } from './desk.protocol';
import { customerName } from './case-view';

const MAX_PAGE = 200;

/** `2026-12-05`, an ISO time, or epoch milliseconds. */
const instant = z
  .string()
  .max(40)
  .transform((text, ctx) => {
    const value = /^\d+$/.test(text) ? Number(text) : Date.parse(text);
    if (Number.isNaN(value)) {
      ctx.addIssue({ code: 'custom', message: `not a date: ${text}` });
      return z.NEVER;
    }
    return value;
  });

/** The case list's query string (`GET /api/cases`). */
export const caseQuery = z
  .object({
    status: z.enum([...CASE_STATUSES, 'open', 'all']).default('all'),
    q: z.string().trim().max(200).optional(),
    customer: z.string().trim().max(200).optional(),
    intent: z.string().trim().max(100).optional(),
    agent: z.string().trim().max(64).optional(),
    queue: z.string().trim().max(64).optional(),
    from: instant.optional(),
    to: instant.optional(),
    offset: z.coerce.number().int().min(0).default(0),
    limit: z.coerce.number().int().min(1).max(MAX_PAGE).default(50),
  })
  .strict();
export type CaseQuery = z.infer<typeof caseQuery>;

const fold = (text: string) => text.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase();
const contains = (haystack: string | undefined, needle: string) =>
  haystack !== undefined && fold(haystack).includes(fold(needle));

function customerMatches(item: Case, needle: string): boolean {
  const name = customerName(item.package.summary.slots);
  if (contains(name, needle) || contains(item.customerId, needle)) return true;
  return item.package.customer.identities.some(
    (i) => contains(i.id, needle) || contains(`${i.channel}:${i.id}`, needle),
  );
}

function textMatches(item: Case, needle: string): boolean {
  if (customerMatches(item, needle) || contains(item.package.detail, needle)) return true;
  return item.package.transcript.some((entry) => contains(entry.text, needle));
}

/** Whether `item` passes every filter of the query (not the status or the page). */
export function matchesQuery(item: Case, query: CaseQuery): boolean {
  if (query.q && !textMatches(item, query.q)) return false;
  if (query.customer && !customerMatches(item, query.customer)) return false;
  if (query.intent && item.package.summary.lastIntent !== query.intent) return false;
  if (query.agent && item.owner !== query.agent) return false;
  if (query.queue && item.queue !== query.queue) return false;
  if (query.from !== undefined && item.createdAt < query.from) return false;
  if (query.to !== undefined && item.createdAt >= query.to) return false;
  return true;
}

/**
 * Filters and pages cases. Open cases read oldest first (the queue's order); resolved and closed ones
 * newest first (what an agent looks back at). Tombstones of erased customers are left out.
 */
export function searchCases(cases: readonly Case[], query: CaseQuery): { page: Case[]; total: number } {
  const wanted =
    query.status === 'all' ? undefined : query.status === 'open' ? ['queued', 'assigned'] : [query.status];
  const found = cases.filter(
    (c) => !c.erasedAt && (!wanted || wanted.includes(c.status)) && matchesQuery(c, query),
  );
  const ended = query.status === 'resolved' || query.status === 'closed';
  const ordered = ended
    ? [...found].sort((a, b) => b.updatedAt - a.updatedAt || (a.id < b.id ? -1 : 1))
    : found;
  return { page: ordered.slice(query.offset, query.offset + query.limit), total: found.length };
}
