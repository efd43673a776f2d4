import { FRAME_BYTES, FRAME_MS, frameAt } from './voice.frames';
import { outbound, type OutboundEvent } from './voice.protocol';

export interface PlayerOptions {
  send(event: OutboundEvent): void;
  streamSid: string;
  /** Real time between frames (20 ms); tests and benchmarks may go faster. */
  frameMs?: number;
  /** Audio sent ahead of real time, so network jitter never starves Twilio's buffer. */
  leadMs?: number;
}

/**
 * Plays μ-law audio into a Media Stream: 20 ms frames, paced at real time after a small lead, a `mark` after
 * each piece Parley wants to hear back about. Twilio echoes a mark once everything before it was played, so
 * `busy` stays true until the caller has heard the last sent frame. `clear` (barge-in) drops what is queued
 * here and asks Twilio to drop what it buffered.
 */
export class Player {
  private readonly frameMs: number;
  private readonly leadFrames: number;
  private readonly pendingMarks = new Set<string>();
  private generation = 0;
  private sending = 0;
  private markCount = 0;
  private idleWaiters: (() => void)[] = [];

  constructor(private readonly options: PlayerOptions) {
    this.frameMs = options.frameMs ?? FRAME_MS;
    this.leadFrames = Math.max(1, Math.round((options.leadMs ?? 100) / FRAME_MS));
  }

  /** Something is being sent, or sent audio has not been played yet. */
  get busy(): boolean {
    return this.sending > 0 || this.pendingMarks.size > 0;
  }

  /**
   * Sends one piece of audio, paced; resolves false when a `clear` cut it short. The first frame goes out at
   * once (`onFirstFrame` gets its time), the next few as the lead, then one per frame period. Frames are views
   * of `audio`; only a short last frame is padded.
   */
  async play(audio: Buffer, onFirstFrame?: (at: number) => void): Promise<boolean> {
    const generation = this.generation;
    this.sending += 1;
    try {
      const started = performance.now();
      for (let i = 0, offset = 0; offset < audio.length; i += 1, offset += FRAME_BYTES) {
        if (generation !== this.generation) return false;
        this.options.send(outbound.media(this.options.streamSid, frameAt(audio, offset)));
        if (i === 0) onFirstFrame?.(performance.now());
        const due = started + (i + 1 - this.leadFrames) * this.frameMs;
        const wait = due - performance.now();
        if (wait > 0) await sleep(wait);
      }
      return generation === this.generation;
    } finally {
      this.sending -= 1;
      this.settle();
    }
  }

  /** Asks Twilio to tell us when playback reaches this point; returns the mark's name. */
  mark(label: string): string {
    this.markCount += 1;
    const name = `${label}-${this.markCount}`;
    this.pendingMarks.add(name);
    this.options.send(outbound.mark(this.options.streamSid, name));
    return name;
  }

  /** Twilio played up to this mark (or cleared it). */
  marked(name: string): void {
    this.pendingMarks.delete(name);
    this.settle();
  }

  /** Barge-in: stop sending, and have Twilio drop buffered audio. True when something was playing. */
  clear(): boolean {
    const wasBusy = this.busy;
    this.generation += 1;
    this.options.send(outbound.clear(this.options.streamSid));
    // Twilio answers a clear by sending back every mark it dropped; nothing is waited for any more.
    this.pendingMarks.clear();
    this.settle();
    return wasBusy;
  }

  /** Resolves once nothing is being sent and every mark was played. */
  idle(): Promise<void> {
    if (!this.busy) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private settle(): void {
    if (this.busy) return;
    for (const resolve of this.idleWaiters.splice(0)) resolve();
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
