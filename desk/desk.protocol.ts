import { z } from 'zod';
import type { CaseStatus } from '../core/case';
import type { TranscriptEntry } from '../core/transcript';
import type { Agent } from '../core/case';
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
 *
 * Server → browser:
 * - `{ type: 'ready', agent }` once signed in.
 * - `{ type: 'case', case }` a case was opened or changed status or owner (a `CaseSummary`).
 * - `{ type: 'line', caseId, entry }` a new transcript line of the watched case.
 * - `{ type: 'error', error, detail }` a bad frame; the socket stays open.
 * - Close code 4401 once the token is no longer valid: signed out (on any process), expired, the
 *   password changed or the agent was removed.
 *
 * Browser → server:
 * - `{ type: 'watch', caseId }` stream that case's new lines (replaces the previous watch).
 * - `{ type: 'unwatch' }`
 */
/** A transcript line as the desk shows it; a customer's line is relayed before its channel is known. */
export type DeskLine = Omit<TranscriptEntry, 'channel'> & Partial<Pick<TranscriptEntry, 'channel'>>;

export type DeskServerFrame =
  | { type: 'ready'; agent: Agent }
  | { type: 'case'; case: CaseSummary }
  | { type: 'line'; caseId: string; entry: DeskLine }
  | { type: 'error'; error: 'bad_frame'; detail: string };

export const deskClientFrame = z.discriminatedUnion('type', [
  z.object({ type: z.literal('watch'), caseId: z.string().min(1).max(128) }).strict(),
  z.object({ type: z.literal('unwatch') }).strict(),
]);
export type DeskClientFrame = z.infer<typeof deskClientFrame>;
