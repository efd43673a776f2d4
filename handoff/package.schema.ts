import { z } from 'zod';
import { ESCALATION_REASONS, type HandoffPackage } from '../core/case';
import { CHANNEL_NAME } from '../core/message';

const json: z.ZodType<unknown> = z
  .lazy(() =>
    z.union([z.string(), z.number(), z.boolean(), z.null(), z.array(json), z.record(z.string(), json)]),
  )
  .meta({ id: 'JsonValue', description: 'Any JSON value.' });
const jsonObject = z.record(z.string(), json);

export const transcriptEntrySchema = z
  .object({
    at: z.number().int().nonnegative().describe('When it happened, in epoch milliseconds.'),
    speaker: z.enum(['customer', 'bot', 'agent', 'system']),
    channel: z.string().regex(CHANNEL_NAME).describe('The channel the line was said or recorded on.'),
    text: z.string().optional().describe('What was said (customer, bot, agent); already redacted.'),
    event: z
      .string()
      .optional()
      .describe('A system event name, e.g. `escalated`, `fallback`, `slot.filled`.'),
    intent: z.string().optional().describe("The intent the bot understood in a customer's message."),
    confidence: z.number().min(0).max(1).optional().describe('The calibrated confidence of `intent`.'),
    messageId: z.string().optional().describe("The channel's own id for a customer message."),
    agent: z.string().optional().describe('The display name of the agent who said it.'),
    data: jsonObject.optional().describe('Event details; on customer lines, e.g. `sentiment` (-1..1).'),
  })
  .meta({ id: 'TranscriptEntry', description: 'One line of the conversation, in order.' });

export const deviceDiagnosticsSchema = z
  .object({
    id: z.string().min(1).describe("The device's id in the device registry."),
    model: z.string().min(1).describe('The product model.'),
    fault: jsonObject.describe('The fault event that raised the case (`code`, `severity`, `telemetry`).'),
    events: z.array(jsonObject).describe('What the device reported (faults, telemetry), oldest first.'),
    commands: z.array(jsonObject).describe('Remote commands sent to the device (`commandId`, `action`).'),
    results: z.array(jsonObject).describe("The device's answers to those commands."),
    telemetry: jsonObject.optional().describe('The latest telemetry the device reported (redacted).'),
    eventsPerMinute: z
      .number()
      .int()
      .nonnegative()
      .optional()
      .describe('Events the device sent in the minute before the case opened (a flapping device is high).'),
  })
  .meta({
    id: 'DeviceDiagnostics',
    description: "A device's side of a case; telemetry is already redacted.",
  });

/**
 * The handoff package, version 1: what an agent or an external agent hub receives with a case.
 * Published as JSON Schema in `handoff/handoff-package.schema.json` (`npm run schema` regenerates it).
 */
export const handoffPackageSchema = z
  .object({
    version: z.literal(1).describe('The package format version; a breaking change gets a new number.'),
    reason: z.enum(ESCALATION_REASONS).describe('Why the bot handed the conversation to a person.'),
    detail: z.string().optional().describe('Free text from the flow or trigger that escalated.'),
    summary: z
      .object({
        lastIntent: z.string().optional().describe('The last intent the bot understood.'),
        slots: jsonObject.describe('What the flows collected (already redacted).'),
        tried: z.array(z.string()).describe('What the customer asked and what the bot tried or answered.'),
        sentiment: z
          .number()
          .min(-1)
          .max(1)
          .optional()
          .describe("The customer's running sentiment: -1 very negative .. 1 very positive."),
      })
      .describe('What the bot knew and did, so the agent never asks again.'),
    customer: z.object({
      id: z.string().min(1).describe("Parley's customer id."),
      identities: z
        .array(z.object({ channel: z.string().regex(CHANNEL_NAME), id: z.string().min(1) }))
        .describe("The customer's verified identities, one per channel."),
    }),
    transcript: z
      .array(transcriptEntrySchema)
      .describe('The whole conversation since it began, across channels: every message, reply and event.'),
    device: deviceDiagnosticsSchema.optional().describe('Set when a connected device raised the case.'),
  })
  .meta({
    title: 'Parley handoff package',
    description: 'What an agent or an external agent hub receives with a case.',
  });

/** Validates a package before it leaves the bot; a malformed package is a bug, so this throws. */
export function validateHandoffPackage(value: HandoffPackage): HandoffPackage {
  handoffPackageSchema.parse(value);
  return value;
}
