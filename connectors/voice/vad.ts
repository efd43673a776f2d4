import { FRAME_MS, mulawLevel } from './mulaw';

export interface VadOptions {
  /** RMS level (0..32767) above which a frame counts as speech. */
  threshold?: number;
  /** Loud frames in a row before speech is said to start (a click is not speech). */
  onsetFrames?: number;
  /** Quiet time after speech that ends the utterance. */
  endSilenceMs?: number;
}

export type VadEvent = 'speech-start' | 'speech-end' | undefined;

/**
 * An energy voice-activity detector for 20 ms μ-law frames: good enough for telephone audio where the
 * line is quiet between words, and cheap (one pass over 160 bytes). Feed frames; it says when speech
 * starts and when an utterance ended.
 */
export class EnergyVad {
  private readonly threshold: number;
  private readonly onsetFrames: number;
  private readonly endFrames: number;
  private loudRun = 0;
  private quietRun = 0;
  speaking = false;

  constructor(options: VadOptions = {}) {
    this.threshold = options.threshold ?? 500;
    this.onsetFrames = options.onsetFrames ?? 2;
    this.endFrames = Math.ceil((options.endSilenceMs ?? 600) / FRAME_MS);
  }

  push(frame: Buffer): VadEvent {
    const loud = mulawLevel(frame) >= this.threshold;
    if (!this.speaking) {
      this.loudRun = loud ? this.loudRun + 1 : 0;
      if (this.loudRun < this.onsetFrames) return undefined;
      this.speaking = true;
      this.quietRun = 0;
      return 'speech-start';
    }
    this.quietRun = loud ? 0 : this.quietRun + 1;
    if (this.quietRun < this.endFrames) return undefined;
    this.speaking = false;
    this.loudRun = 0;
    return 'speech-end';
  }
}
