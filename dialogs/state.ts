import { z } from 'zod';
import { cloneJson, isSealedJson, sealJson, type JsonObject, type JsonValue } from '../core/json';

/**
 * The persisted dialog state: plain JSON, always settled (no look-up in flight), restored each turn.
 * A frame keeps the flow's state value and context; the machine snapshot is rebuilt from them with
 * `machine.resolveState`, and slots live once, at conversation level, so no flow asks for one twice.
 */
const jsonObject = z.record(z.string(), z.json());

const frameSchema = z.object({
  flow: z.string(),
  state: z.string(),
  results: jsonObject,
  attempts: z.record(z.string(), z.number()),
  /** Slots with `confirmReuse` already known when the flow started: confirmed before the flow uses them. */
  inherited: z.array(z.string()).optional(),
});

/** A question the engine itself asked and the next message may answer (repair: `dialogs/repair.ts`). */
const pendingSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('offer_human') }),
  z.object({ kind: z.literal('satisfaction'), caseId: z.string() }),
  /** "Is this about order A1001?": a value from earlier, about to be reused by the flow on top. */
  z.object({ kind: z.literal('confirm_reuse'), flow: z.string(), slot: z.string() }),
  /** "Do you mean …?": two nearly tied intents, and the entities of the message that was unclear. */
  z.object({
    kind: z.literal('clarify'),
    intents: z.array(z.string()),
    entities: z.array(z.object({ entity: z.string(), value: z.json(), text: z.string() })),
  }),
  /** "I can see an engineer visit booked…": a hypothesis from the customer's context, for `flow`. */
  z.object({ kind: z.literal('hypothesis'), flow: z.string(), activity: jsonObject }),
]);

/** A reply kept for "say that again": the bot's own words, in the reply model's shape. */
const keptReplySchema = z.object({ text: z.string(), from: z.literal('bot') }).catchall(z.json());

const dialogStateSchema = z.object({
  v: z.literal(1),
  stack: z.array(frameSchema),
  slots: jsonObject,
  lastIntent: z.string().optional(),
  misunderstood: z.number().int(),
  pending: pendingSchema.optional(),
  /** Lines for the handoff summary: what the customer asked and what the bot tried. */
  log: z.array(z.string()),
  /** The bot's replies of the last turn that said something, re-sent by the `repeat` skill. */
  lastReplies: z.array(keptReplySchema).optional(),
  /** A personalised hypothesis was considered once in this conversation (asked or not): never again. */
  hypothesisOffered: z.boolean().optional(),
});

export type Frame = z.infer<typeof frameSchema>;
export type PendingQuestion = z.infer<typeof pendingSchema>;
export type DialogState = z.infer<typeof dialogStateSchema>;

export const MAX_LOG_LINES = 40;

export function emptyState(): DialogState {
  return { v: 1, stack: [], slots: {}, misunderstood: 0, log: [] };
}

/**
 * Restores a persisted state as the engine's own working copy; anything unreadable (an old format,
 * corruption) starts afresh. A state this process sealed (`toJson`) was valid when sealed and cannot have
 * changed since, so only states from elsewhere (Redis, a file) go through the schema.
 */
export function readState(value: JsonValue | undefined): { state: DialogState; reset: boolean } {
  if (value === undefined || value === null) return { state: emptyState(), reset: false };
  if (isSealedJson(value)) return { state: cloneJson(value) as DialogState, reset: false };
  const parsed = dialogStateSchema.safeParse(value);
  if (!parsed.success) return { state: emptyState(), reset: true };
  // zod may hand back parts of its input: the engine edits its copy, never the caller's value.
  return { state: cloneJson(parsed.data as JsonObject) as DialogState, reset: false };
}

/** The persisted form: plain JSON (`undefined` keys dropped), sealed so it can be shared and trusted. */
export function toJson(state: DialogState): JsonObject {
  return sealJson(state) as JsonObject;
}

/** A conversation already inside `flow` at `state`: where a conversation script can start mid-flow. */
export function stateInFlow(
  start: { flow: string; state: string; slots?: JsonObject; results?: JsonObject },
  log: string[] = [],
): JsonObject {
  return toJson({
    ...emptyState(),
    stack: [{ flow: start.flow, state: start.state, results: start.results ?? {}, attempts: {} }],
    slots: start.slots ?? {},
    log,
  });
}
