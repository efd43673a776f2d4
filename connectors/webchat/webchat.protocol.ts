import { z } from 'zod';
import { parseJsonWithin } from '../../core/json-limits';
import type { Reply } from '../../core/message';
import type { SeenLine } from '../../core/runtime';
import { idCarriesCardNumber } from '../../transcripts/card-numbers';

/**
 * The web chat's WebSocket protocol: JSON text frames, one object each, discriminated by `type`.
 *
 * Browser → server:
 * - `{ type: 'hello', sessionId? }` first, once. Without a (well-formed) sessionId the server starts a new
 *   session and greets; with one it resumes that conversation.
 * - `{ type: 'message', id?, text, label? }` a customer message; `id` (the client's) makes a resend
 *   idempotent; `label` is the button title the page showed for a payload `text`.
 * - `{ type: 'typing', active }` the customer is typing (relayed to the agent desk; never queued).
 *
 * Server → browser:
 * - `{ type: 'ready', sessionId, resumed, history? }` after hello; a resumed session gets the conversation's
 *   recent lines (`{ speaker, text, agentName? }`, oldest first), including replies sent while it was away.
 * - `{ type: 'typing', active, agent? }` around each turn, and while the agent named `agent` types.
 * - `{ type: 'reply', reply, replyTo? }` one per reply; pushed replies (agents) have no `replyTo`.
 * - `{ type: 'error', error, detail, replyTo? }` for a bad frame or a failed turn; the socket stays open.
 *   `error: 'unavailable'` means a store was down and the message was not taken: resend it with the same id.
 */

/** Session ids are unguessable (they are the conversation's key), so only this shape is accepted. */
export const SESSION_ID = /^[A-Za-z0-9_-]{16,64}$/;
export const MAX_TEXT_CHARS = 2000;
export const MAX_LABEL_CHARS = 200;

const hello = z
  .object({
    type: z.literal('hello'),
    sessionId: z.string().regex(SESSION_ID).optional(),
    /** The browser's language (`navigator.language`): the greeting's; later messages are guessed. */
    locale: z
      .string()
      .regex(/^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8})*$/)
      .optional(),
  })
  .strict();
const message = z
  .object({
    type: z.literal('message'),
    // Echoed back as `replyTo` and used in keys: an id carrying a card number is refused.
    id: z
      .string()
      .regex(/^[A-Za-z0-9_-]{1,64}$/)
      .refine((value) => !idCarriesCardNumber(value), 'must not contain card data')
      .optional(),
    text: z.string().trim().min(1).max(MAX_TEXT_CHARS),
    /** The button title shown for a payload `text`. */
    label: z.string().trim().min(1).max(MAX_LABEL_CHARS).optional(),
  })
  .strict();

/** The customer is typing (or stopped): relayed to the agent desk while an agent has the conversation. */
const typing = z.object({ type: z.literal('typing'), active: z.boolean() }).strict();

export const clientFrame = z.discriminatedUnion('type', [hello, message, typing]);
export type ClientFrame = z.infer<typeof clientFrame>;

/** `unavailable`: a store was down, nothing was recorded; resend the same message (same id) shortly. */
export type ErrorCode =
  'bad_frame' | 'frame_too_large' | 'hello_required' | 'busy' | 'internal_error' | 'unavailable';

export type ServerFrame =
  | { type: 'ready'; sessionId: string; resumed: boolean; history?: SeenLine[] }
  | { type: 'typing'; active: boolean; agent?: string }
  | { type: 'reply'; reply: Reply; replyTo?: string }
  | { type: 'error'; error: ErrorCode; detail: string; replyTo?: string };

export type FrameResult = { ok: true; frame: ClientFrame } | { ok: false; error: ErrorCode; detail: string };

/** Validates one inbound frame; never throws. */
export function parseClientFrame(data: string, maxBytes: number): FrameResult {
  if (Buffer.byteLength(data, 'utf8') > maxBytes) {
    return { ok: false, error: 'frame_too_large', detail: `frames are limited to ${maxBytes} bytes` };
  }
  const json = parseJsonWithin(data);
  if (!json.ok) return { ok: false, error: 'bad_frame', detail: `frame is ${json.detail}` };
  const parsed = clientFrame.safeParse(json.value);
  if (!parsed.success) {
    const detail = parsed.error.issues
      .map((issue) => `${issue.path.length > 0 ? issue.path.join('.') : 'frame'}: ${issue.message}`)
      .join('; ');
    return { ok: false, error: 'bad_frame', detail };
  }
  return { ok: true, frame: parsed.data };
}
