import { z } from 'zod';
import type { CaseStatus } from '../core/case';
import type { TranscriptEntry } from '../core/transcript';
import type { AgentView, CaseView, LineView, SignedOutReason, SupervisorStats } from './desk.views';
import type { CaseSummary } from '../handoff/case-events';

export const CASE_STATUSES = [
  'queued',
  'assigned',
  'resolved',
  'closed',
] as const satisfies readonly CaseStatus[];

export const DESK_SOCKET_PATH = '/api/agent/socket';

/** Bus topic on which sign-out announces a revoked token, so every process closes its sockets. */
export const TOKEN_REVOKED_TOPIC = 'desk:token-revoked';

/** The close code of a desk socket whose token is no longer valid (signed out, expired, password changed). */
export const TOKEN_REVOKED_CLOSE = 4401;

/**
 * The desk's live socket, `GET /api/agent/socket?token=<bearer token>` (WebSocket, JSON text frames).
 * The whole contract, with the HTTP API, is in docs/desk-api.md.
 *
 * Server → browser:
 * - `{ type: 'ready', agent }` once signed in.
 * - `{ type: 'case', case, view }` a case was opened or changed status, owner or queue.
 * - `{ type: 'line', caseId, entry, line }` a new transcript line of the watched case, with its plain words.
 * - `{ type: 'typing', caseId, who, name?, active }` the customer or another agent types on the watched case.
 * - `{ type: 'unread', caseId, unread }` this agent's unread count of a case changed.
 * - `{ type: 'supervisor', stats }` supervisors only: on connect, periodically and after case changes.
 * - `{ type: 'signed_out', reason, detail }` just before the close with code 4401 (the close reason is
 *   `reason`): signed out (on any process), expired, the password changed, the agent was removed.
 * - `{ type: 'error', error, detail }` a bad frame; the socket stays open.
 *
 * Browser → server:
 * - `{ type: 'watch', caseId }` stream that case's new lines (replaces the previous watch).
 * - `{ type: 'unwatch' }`
 * - `{ type: 'typing', caseId, active }` the agent types a reply on a case they own.
 */
/** A transcript line as the desk shows it; a customer's line is relayed before its channel is known. */
export type DeskLine = Omit<TranscriptEntry, 'channel'> & Partial<Pick<TranscriptEntry, 'channel'>>;

export type DeskServerFrame =
  | { type: 'ready'; agent: AgentView }
  | { type: 'case'; case: CaseSummary; view: CaseView }
  | { type: 'line'; caseId: string; entry: DeskLine; line: LineView }
  | { type: 'typing'; caseId: string; who: 'customer' | 'agent'; name?: string; active: boolean }
  | { type: 'unread'; caseId: string; unread: number }
  | { type: 'supervisor'; stats: SupervisorStats }
  | { type: 'signed_out'; reason: SignedOutReason; detail: string }
  | { type: 'error'; error: 'bad_frame'; detail: string };

export const deskClientFrame = z.discriminatedUnion('type', [
  z.object({ type: z.literal('watch'), caseId: z.string().min(1).max(128) }).strict(),
  z.object({ type: z.literal('unwatch') }).strict(),
  z.object({ type: z.literal('typing'), caseId: z.string().min(1).max(128), active: z.boolean() }).strict(),
]);
export type DeskClientFrame = z.infer<typeof deskClientFrame>;
