import { z } from 'zod';
import { ESCALATION_REASONS } from '../core/case';
import { CONSENT_PURPOSES } from '../core/privacy';
import { labelSchema, utteranceSchema } from './localized';

export { buttonSchema, utteranceSchema, type Utterance } from './localized';

/**
 * The YAML flow format: a restricted XState machine config (flat states, named effects only) that
 * conversation designers read and write. `dialogs/README.md` documents it with an example.
 */

const name = z.string().regex(/^[A-Za-z][\w-]*$/, 'use letters, digits, "_" or "-", starting with a letter');
const text = z.string().min(1, 'must not be empty');

/** An outside event's name: a namespace and a name, dotted (`device.fault`); intents never have a dot. */
export const EXTERNAL_EVENT = /^[a-z][a-z0-9_]*(\.[a-z0-9_]+)+$/;

const slotList = z.union([name, z.array(name).min(1)]);

const handoffSchema = z.strictObject({
  reason: z.enum(ESCALATION_REASONS),
  detail: text.optional(),
  queue: name.optional(),
  priority: z.number().int().optional(),
});

/** One named effect, written as a one-key object: `- say: Hello`. */
export const actionSchema = z.union([
  z.strictObject({ say: utteranceSchema }),
  z.strictObject({ note: text }),
  z.strictObject({ lookup: z.union([name, z.strictObject({ name, as: name.optional() })]) }),
  z.strictObject({
    do: z.union([name, z.strictObject({ name, params: z.record(z.string(), z.json()).optional() })]),
  }),
  z.strictObject({ handoff: z.union([z.enum(ESCALATION_REASONS), handoffSchema]) }),
  z.strictObject({ set: z.record(name, z.json()) }),
  z.strictObject({ clear: slotList }),
  z.strictObject({ reject: slotList }),
]);

const transitionObject = z.strictObject({
  target: name.optional(),
  guard: name.optional(),
  actions: z.array(actionSchema).optional(),
});

/** `target`, `{ target, guard, actions }`, or a list tried in order (the first whose guard passes wins). */
export const transitionSchema = z.union([
  name,
  transitionObject,
  z.array(z.union([name, transitionObject])).min(1),
]);

export const stateSchema = z.strictObject({
  type: z.literal('final').optional(),
  description: z.string().optional(),
  entry: z.array(actionSchema).optional(),
  /** Ask for this slot until it is filled (`filled`) or the attempts run out (`exhausted`). */
  collect: name.optional(),
  /** A question this state waits on; said on entry and again whenever the flow resumes here. */
  prompt: utteranceSchema.optional(),
  /**
   * The flow goes on only with the customer's consent to this purpose: a customer with no answer on record
   * is asked (yes/no), and the answer is recorded; the state then gets `granted` or `refused`. Without an
   * `on.refused` a no ends the flow politely.
   */
  consent: z
    .enum(CONSENT_PURPOSES, { error: `a consent purpose: ${CONSENT_PURPOSES.join(', ')}` })
    .optional(),
  on: z.record(z.string().min(1), transitionSchema).optional(),
  always: transitionSchema.optional(),
});

export const slotSchema = z.strictObject({
  /** The NLU entity that fills the slot; the slot's own name by default. */
  entity: name.optional(),
  prompt: utteranceSchema,
  /** Said instead of `prompt` after an answer without a valid value. */
  reprompt: utteranceSchema.optional(),
  /** A named validator (the bot's, or a built-in one such as `email`, `date`, `futureDate`). */
  validate: name.optional(),
  maxAttempts: z.number().int().min(1).max(10).default(3),
  /** Card details and the like: phone calls keep the answer out of the transcript while this is asked. */
  sensitive: z.boolean().optional(),
  /**
   * A value known from earlier in the conversation is confirmed before this flow reuses it ("Is this about
   * order A1001?"): `true` for the engine's question, or the flow's own (`{slot}` is the value).
   */
  confirmReuse: z.union([z.boolean(), utteranceSchema]).optional(),
  /**
   * The flow uses the value, but the state, transcript and handoff package keep it masked (`••••1332`):
   * `true` keeps the last 4 letters or digits, `{ keepLast }` another number.
   */
  masked: z.union([z.boolean(), z.strictObject({ keepLast: z.number().int().min(0).max(8) })]).optional(),
});

/**
 * How the engine repairs a conversation while this flow is under way (`dialogs/README.md`, "Conversation
 * repair"). Every field has a default, so a flow without `repair:` gets all of it.
 */
export const repairSchema = z.strictObject({
  /** Another flow's intent at this flow's slot question starts that flow, then the question is asked again. */
  digressions: z.boolean().default(true),
  /**
   * A question the bot cannot place, asked at a slot question: `fallback` answers it with the fallback and
   * asks the slot again (no attempt counted); `reprompt` treats it as a bad value.
   */
  outOfScope: z.enum(['fallback', 'reprompt']).default('fallback'),
  /** "no, make it Thursday": a correction cue and a new value change a slot this flow already has. */
  corrections: z.boolean().default(true),
  /** This flow is offered when its intent nearly ties with another flow's ("Do you mean …?"). */
  clarify: z.boolean().default(true),
  /** An empty message: `ignore` says nothing; `nudge` asks this flow's pending question again. */
  empty: z.enum(['ignore', 'nudge']).default('ignore'),
});

/**
 * A flow that can open with a hypothesis from what a verified customer is doing now (`CustomerContext`):
 * the first current activity of `activity` kind makes the bot ask `hypothesis` (which may name only
 * `{activity.…}` fields); yes starts the flow with the activity as `{activity.…}`.
 */
export const personaliseSchema = z.strictObject({
  activity: name,
  hypothesis: utteranceSchema,
});

export const flowSchema = z.strictObject({
  id: name,
  /** Shown in the help and fallback menus (a string, or per locale); flows without a title are not offered. */
  title: labelSchema.optional(),
  description: z.string().optional(),
  triggers: z.array(name).default([]),
  /** Outside events that start this flow (`device.fault`): a device's report, not something said. */
  events: z
    .array(z.string().regex(EXTERNAL_EVENT, 'an outside event is named like `device.fault`'))
    .default([]),
  /** Finishing this flow drops whatever it interrupted (e.g. a goodbye). */
  clearStack: z.boolean().default(false),
  slots: z.record(name, slotSchema).default({}),
  /** How this flow's name reads in a clarification ("your bill"); its `title` by default. */
  clarifyAs: labelSchema.optional(),
  repair: repairSchema.prefault({}),
  personalise: personaliseSchema.optional(),
  initial: name,
  states: z
    .record(name, stateSchema)
    .refine((states) => Object.keys(states).length > 0, 'needs at least one state'),
});

export type ActionSpec = z.infer<typeof actionSchema>;
export type TransitionSpec = z.infer<typeof transitionSchema>;
export type TransitionObject = z.infer<typeof transitionObject>;
export type StateSpec = z.infer<typeof stateSchema>;
export type SlotSpec = z.infer<typeof slotSchema>;
export type FlowSpec = z.infer<typeof flowSchema>;
export type RepairSpec = z.infer<typeof repairSchema>;

/** Events the engine sends to flows; they are not intents. */
export const ENGINE_EVENTS = [
  'filled',
  'exhausted',
  'done',
  'error',
  'corrected',
  'granted',
  'refused',
] as const;
export type EngineEvent = (typeof ENGINE_EVENTS)[number];

/** The transitions of one state, normalised to a list of objects. */
export function transitionList(spec: TransitionSpec | undefined): TransitionObject[] {
  if (spec === undefined) return [];
  const items = Array.isArray(spec) ? spec : [spec];
  return items.map((item) => (typeof item === 'string' ? { target: item } : item));
}
