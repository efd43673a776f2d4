import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isMap, isNode, isSeq, LineCounter, parseDocument } from 'yaml';
import { z } from 'zod';
import { ESCALATION_REASONS } from '../../core/case';
import { CONSENT_PURPOSES } from '../../core/privacy';

/**
 * Whole conversations as test fixtures (`*.conv.yaml`). Steps run in order: `user` sends a message (a
 * button is its payload, e.g. `/affirm`), each `bot` matches the next reply of that turn (a substring, or
 * `/regex/flags`), and the other keys assert what the turn did. Every reply must be matched and every
 * case opened must be asserted with `escalated`, so a script describes the whole conversation.
 */
const step = z.union([
  z.strictObject({ user: z.string() }),
  /** Something from outside the conversation (a device's report): flows waiting for it or starting on it. */
  z.strictObject({
    outside: z.strictObject({
      name: z
        .string()
        .regex(/^[a-z][a-z0-9_]*(\.[a-z0-9_]+)+$/, 'an outside event is named like `device.fault`'),
      data: z.record(z.string(), z.json()).default({}),
    }),
  }),
  z.strictObject({ launch: z.literal(true) }),
  /** An agent hands the conversation back (optionally named). */
  z.strictObject({ handback: z.union([z.literal(true), z.strictObject({ agent: z.string() })]) }),
  z.strictObject({ bot: z.string() }),
  /** Quick-reply titles of the reply matched last. */
  z.strictObject({ buttons: z.array(z.string()) }),
  /** The NLU intent of the last customer message (or of its button payload). */
  z.strictObject({ intent: z.string() }),
  /** The turn opened a case with this reason. */
  z.strictObject({ escalated: z.enum(ESCALATION_REASONS) }),
  /** The last case's handoff summary: slots it holds and substrings of its `tried` lines. */
  z.strictObject({
    summary: z.strictObject({
      slots: z.record(z.string(), z.json()).optional(),
      tried: z.array(z.string()).optional(),
    }),
  }),
  /** The turn recorded this system event (with at least this data). */
  z.strictObject({
    event: z.union([z.string(), z.strictObject({ name: z.string(), data: z.record(z.string(), z.json()) })]),
  }),
]);

/** Where a script starts when not at the beginning: a flow's state, with slots (and look-up results) set. */
const startPoint = z.strictObject({
  flow: z.string(),
  state: z.string(),
  slots: z.record(z.string(), z.json()).optional(),
  results: z.record(z.string(), z.json()).optional(),
});

/**
 * What a named look-up answers in this script instead of the bot's back-end: `returns` a value, or `fails`
 * with a message (the flow's `error` branch). For the paths a demo back-end never takes (an SMS gateway
 * down, a rate limit, a router that answers).
 */
const stubSchema = z.union([
  z.strictObject({ returns: z.json() }),
  z.strictObject({ fails: z.string().min(1) }),
]);

/** Who writes: their address on the channel, and the consents they gave before the conversation. */
const customerSchema = z.strictObject({
  address: z.string().min(1),
  consent: z.array(z.enum(CONSENT_PURPOSES)).default([]),
});

const conversation = z.strictObject({
  name: z.string(),
  /** A customer of the bot's records (a phone number, say) instead of an anonymous script user. */
  customer: customerSchema.optional(),
  /** Look-ups answered by the script (see `stubSchema`), by name. */
  lookups: z.record(z.string(), stubSchema).optional(),
  /** Start mid-flow instead of at the beginning of a conversation. */
  start: startPoint.optional(),
  /** The clock for the whole conversation (ISO); defaults to Monday 2 June 2025, 09:00 UTC. */
  now: z.iso.datetime().optional(),
  /** The locale the channel states on every message (`es-ES`); none by default, so the bot guesses. */
  locale: z.string().optional(),
  steps: z.array(step).min(1),
});

const scriptFile = z.strictObject({ conversations: z.array(conversation).min(1) });

export type ScriptStep = z.infer<typeof step>;
export type ScriptStart = z.infer<typeof startPoint>;
export type ScriptCustomer = z.infer<typeof customerSchema>;
export type ScriptLookupStub = z.infer<typeof stubSchema>;

export interface ConversationScript {
  file: string;
  name: string;
  now: number;
  locale?: string;
  start?: ScriptStart;
  customer?: ScriptCustomer;
  lookups?: Record<string, ScriptLookupStub>;
  steps: Array<{ step: ScriptStep; line?: number }>;
}

export const DEFAULT_SCRIPT_NOW = Date.UTC(2025, 5, 2, 9, 0);

/** Parses one `*.conv.yaml`, keeping each step's line for failure messages. */
export function parseConversationFile(file: string, source: string): ConversationScript[] {
  const lines = new LineCounter();
  const doc = parseDocument(source, { lineCounter: lines });
  if (doc.errors.length > 0) throw new Error(`${file}: ${doc.errors[0].message}`);
  const parsed = scriptFile.safeParse(doc.toJS());
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`${file} ${issue.path.join('.')}: ${issue.message}`);
  }
  const conversations = doc.get('conversations', true);
  return parsed.data.conversations.map((item, index) => {
    const node = isSeq(conversations) ? conversations.items[index] : undefined;
    const stepNodes = isMap(node) ? node.get('steps', true) : undefined;
    return {
      file,
      name: item.name,
      now: item.now ? Date.parse(item.now) : DEFAULT_SCRIPT_NOW,
      ...(item.locale ? { locale: item.locale } : {}),
      ...(item.start ? { start: item.start } : {}),
      ...(item.customer ? { customer: item.customer } : {}),
      ...(item.lookups ? { lookups: item.lookups } : {}),
      steps: item.steps.map((entry, stepIndex) => {
        const stepNode = isSeq(stepNodes) ? stepNodes.items[stepIndex] : undefined;
        const range = isNode(stepNode) ? stepNode.range : undefined;
        return { step: entry, line: range ? lines.linePos(range[0]).line : undefined };
      }),
    };
  });
}

/** Every conversation in every `*.conv.yaml` of `dir`, in file order. */
export function loadConversationScripts(dir: string): ConversationScript[] {
  return readdirSync(dir)
    .filter((name) => name.endsWith('.conv.yaml'))
    .sort()
    .flatMap((name) => parseConversationFile(join(dir, name), readFileSync(join(dir, name), 'utf8')));
}
