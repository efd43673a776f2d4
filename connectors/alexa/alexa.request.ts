import { z } from 'zod';
import { identifier } from '../shared/identifier-schema';

/**
 * The parts of an Alexa custom-skill request Parley reads, validated at the edge. Unknown fields are kept
 * out; anything missing or malformed is a 400.
 */
const slotSchema = z.object({
  name: z.string().max(100),
  value: z.string().max(2000).optional(),
});

const systemSchema = z.object({
  application: z.object({ applicationId: z.string().min(1).max(200) }),
  user: z.object({
    userId: z.string().min(1).max(512),
    /** Present when the customer linked their account in the Alexa app (account linking). */
    accessToken: z.string().min(1).max(4096).optional(),
  }),
  /** The base URL of Alexa's APIs for this request (progressive responses). */
  apiEndpoint: z.string().url().max(200).optional(),
  apiAccessToken: z.string().min(1).max(8192).optional(),
});

const common = {
  requestId: identifier(200),
  timestamp: z.string().min(1).max(40),
  locale: z
    .string()
    .regex(/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/)
    .optional(),
};

const requestSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('LaunchRequest'), ...common }),
  z.object({
    type: z.literal('IntentRequest'),
    ...common,
    intent: z.object({
      name: z.string().min(1).max(100),
      slots: z.record(z.string().max(100), slotSchema).optional(),
    }),
  }),
  z.object({
    type: z.literal('SessionEndedRequest'),
    ...common,
    reason: z.string().max(100).optional(),
  }),
]);

export const alexaEnvelopeSchema = z.object({
  version: z.string().max(20),
  session: z
    .object({
      new: z.boolean().optional(),
      sessionId: z.string().max(512).optional(),
    })
    .optional(),
  context: z.object({ System: systemSchema }),
  request: requestSchema,
});

export type AlexaEnvelope = z.infer<typeof alexaEnvelopeSchema>;
export type AlexaRequest = AlexaEnvelope['request'];

/** Any request type Alexa may send (display, audio player, skill events): only the timestamp is read. */
const anyRequestSchema = z.object({
  request: z.object({ type: z.string().max(100), timestamp: z.string().max(40) }),
});

export type ReadResult =
  { ok: true; envelope: AlexaEnvelope } | { ok: false; detail: string; unsupportedType?: string };

/** Reads a request body already parsed as JSON; never throws. */
export function readEnvelope(body: unknown): ReadResult {
  const parsed = alexaEnvelopeSchema.safeParse(body);
  if (parsed.success) return { ok: true, envelope: parsed.data };
  const other = anyRequestSchema.safeParse(body);
  const detail = parsed.error.issues
    .slice(0, 3)
    .map((issue) => `${issue.path.join('.') || 'body'}: ${issue.message}`)
    .join('; ');
  return other.success
    ? { ok: false, detail, unsupportedType: other.data.request.type }
    : { ok: false, detail };
}

/** `request.timestamp` as epoch milliseconds, or undefined when the body has none that parses. */
export function requestTime(body: unknown): number | undefined {
  const parsed = anyRequestSchema.safeParse(body);
  if (!parsed.success) return undefined;
  const at = Date.parse(parsed.data.request.timestamp);
  return Number.isFinite(at) ? at : undefined;
}

/** The skill id a request is for: `context.System.application.applicationId` (or the session's, older form). */
export function applicationIdOf(body: unknown): string | undefined {
  const parsed = z
    .object({
      context: z.object({ System: z.object({ application: z.object({ applicationId: z.string() }) }) }),
    })
    .safeParse(body);
  if (parsed.success) return parsed.data.context.System.application.applicationId;
  const session = z
    .object({ session: z.object({ application: z.object({ applicationId: z.string() }) }) })
    .safeParse(body);
  return session.success ? session.data.session.application.applicationId : undefined;
}
