/**
 * Twilio Media Streams framing: 8 kHz mono μ-law in 20 ms frames of 160 bytes. The μ-law codec itself is
 * speech/audio.ts.
 */

export const FRAME_MS = 20;
const MULAW_RATE = 8000;
export const FRAME_BYTES = (MULAW_RATE * FRAME_MS) / 1000;

/** Audio cut into 20 ms frames; the last one is padded with μ-law silence (0xff). */
export function toFrames(mulaw: Buffer, frameBytes = FRAME_BYTES): Buffer[] {
  const frames: Buffer[] = [];
  for (let offset = 0; offset < mulaw.length; offset += frameBytes) {
    const frame = Buffer.alloc(frameBytes, 0xff);
    mulaw.copy(frame, 0, offset, Math.min(offset + frameBytes, mulaw.length));
    frames.push(frame);
  }
  return frames;
}

/** The 20 ms frame at `offset`: a view of `mulaw`, or a padded copy when fewer bytes are left. */
export function frameAt(mulaw: Buffer, offset: number, frameBytes = FRAME_BYTES): Buffer {
  if (offset + frameBytes <= mulaw.length) return mulaw.subarray(offset, offset + frameBytes);
  const frame = Buffer.alloc(frameBytes, 0xff);
  mulaw.copy(frame, 0, offset);
  return frame;
}

/** μ-law silence of the given length. */
export function mulawSilence(ms: number): Buffer {
  return Buffer.alloc(Math.round((MULAW_RATE * ms) / 1000), 0xff);
}
