import { z } from 'zod';

/**
 * Twilio Media Streams (bidirectional) as Parley reads and writes it. Inbound frames are validated here, at
 * the edge; anything else on the socket is ignored and logged by the caller.
 */

const sid = z.string().min(1).max(64);

const connected = z.object({ event: z.literal('connected'), protocol: z.string().optional() });

const start = z.object({
  event: z.literal('start'),
  streamSid: sid,
  start: z.object({
    streamSid: sid,
    callSid: sid,
    accountSid: sid.optional(),
    customParameters: z.record(z.string().max(64), z.string().max(256)).default({}),
    mediaFormat: z.object({ encoding: z.string(), sampleRate: z.number(), channels: z.number() }).optional(),
  }),
});

const media = z.object({
  event: z.literal('media'),
  streamSid: sid,
  media: z.object({
    track: z.string().optional(),
    timestamp: z.union([z.string(), z.number()]).optional(),
    // 20 ms of μ-law is 160 bytes (216 in base64); allow generous frames but not unbounded ones.
    payload: z.string().max(64_000),
  }),
});

const dtmf = z.object({
  event: z.literal('dtmf'),
  streamSid: sid,
  dtmf: z.object({ digit: z.string().regex(/^[0-9*#A-D]$/) }),
});

const mark = z.object({
  event: z.literal('mark'),
  streamSid: sid,
  mark: z.object({ name: z.string().max(128) }),
});

const stop = z.object({ event: z.literal('stop'), streamSid: sid.optional() });

export const mediaStreamEvent = z.discriminatedUnion('event', [connected, start, media, dtmf, mark, stop]);
export type MediaStreamEvent = z.infer<typeof mediaStreamEvent>;
export type StartEvent = z.infer<typeof start>;

/** A frame from Twilio, or undefined when it is not one Parley understands. */
export function readMediaStreamEvent(text: string): MediaStreamEvent | undefined {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return undefined;
  }
  const parsed = mediaStreamEvent.safeParse(json);
  return parsed.success ? parsed.data : undefined;
}

export type OutboundEvent =
  | { event: 'media'; streamSid: string; media: { payload: string } }
  | { event: 'mark'; streamSid: string; mark: { name: string } }
  | { event: 'clear'; streamSid: string };

export const outbound = {
  media: (streamSid: string, audio: Buffer): OutboundEvent => ({
    event: 'media',
    streamSid,
    media: { payload: audio.toString('base64') },
  }),
  mark: (streamSid: string, name: string): OutboundEvent => ({ event: 'mark', streamSid, mark: { name } }),
  clear: (streamSid: string): OutboundEvent => ({ event: 'clear', streamSid }),
};
