import { z } from 'zod';
import { ESCALATION_REASONS, type HandoffPackage } from '../core/case';
import { CHANNELS } from '../core/message';

const json: z.ZodType<unknown> = z.lazy(() =>
  z.union([z.string(), z.number(), z.boolean(), z.null(), z.array(json), z.record(z.string(), json)]),
);
const jsonObject = z.record(z.string(), json);

export const transcriptEntrySchema = z.object({
  at: z.number().int().nonnegative(),
  speaker: z.enum(['customer', 'bot', 'agent', 'system']),
  channel: z.enum(CHANNELS),
  text: z.string().optional(),
  event: z.string().optional(),
  intent: z.string().optional(),
  confidence: z.number().min(0).max(1).optional(),
  messageId: z.string().optional(),
  agent: z.string().optional(),
  data: jsonObject.optional(),
});

/**
 * The handoff package, version 1: what an agent or an external agent hub receives with a case.
 * Published as JSON Schema in `handoff/handoff-package.schema.json` (`npm run schema` regenerates it).
 */
export const handoffPackageSchema = z.object({
  version: z.literal(1),
  reason: z.enum(ESCALATION_REASONS),
  detail: z.string().optional(),
  summary: z.object({
    lastIntent: z.string().optional(),
    slots: jsonObject,
    tried: z.array(z.string()),
    sentiment: z.number().min(-1).max(1).optional(),
  }),
  customer: z.object({
    id: z.string().min(1),
    identities: z.array(z.object({ channel: z.enum(CHANNELS), id: z.string().min(1) })),
  }),
  transcript: z.array(transcriptEntrySchema),
});

/** Validates a package before it leaves the bot; a malformed package is a bug, so this throws. */
export function validateHandoffPackage(value: HandoffPackage): HandoffPackage {
  handoffPackageSchema.parse(value);
  return value;
}
