/**
 * An energy voice-activity detector for engines that cannot tell speech from silence themselves
 * (pocketsphinx runs per utterance). It works on 20 ms frames: speech starts after `startMs` of loud frames,
 * and the utterance ends after `endSilenceMs` of quiet ones. The threshold follows the line's noise floor, so
 * a hissy line does not count as talking.
 */
import { rms } from './audio';

export interface VadOptions {
  sampleRateHertz: number;
  /** Frame length; Twilio sends 20 ms frames. */
  frameMs?: number;
  /** Loud audio needed before speech counts as started (a click is not a caller). */
  startMs?: number;
  /** Quiet audio that ends an utterance. */
  endSilenceMs?: number;
  /** The quietest RMS (of 32768) that can be speech, whatever the noise floor. */
  minSpeechRms?: number;
  /** Speech must be this many times louder than the noise floor. */
  noiseRatio?: number;
}

export type VadEvent =
  { kind: 'speech-start'; atMs: number } | { kind: 'speech-end'; atMs: number; startedAtMs: number };

export class EnergyVad {
  private readonly frameSamples: number;
  private readonly frameMs: number;
  private readonly startFrames: number;
  private readonly endFrames: number;
  private readonly minSpeechRms: number;
  private readonly noiseRatio: number;
  private pending = new Int16Array(0);
  private noiseFloor = 0;
  private loudRun = 0;
  private quietRun = 0;
  private framesSeen = 0;
  private speechStartedAt: number | undefined;

  constructor({
    sampleRateHertz,
    frameMs = 20,
    startMs = 100,
    endSilenceMs = 700,
    minSpeechRms = 300,
    noiseRatio = 3,
  }: VadOptions) {
    this.frameMs = frameMs;
    this.frameSamples = Math.round((sampleRateHertz * frameMs) / 1000);
    this.startFrames = Math.max(1, Math.round(startMs / frameMs));
    this.endFrames = Math.max(1, Math.round(endSilenceMs / frameMs));
    this.minSpeechRms = minSpeechRms;
    this.noiseRatio = noiseRatio;
  }

  get speaking(): boolean {
    return this.speechStartedAt !== undefined;
  }

  /** Feeds samples of any length; returns what happened in the whole frames they completed. */
  push(samples: Int16Array): VadEvent[] {
    const joined = new Int16Array(this.pending.length + samples.length);
    joined.set(this.pending);
    joined.set(samples, this.pending.length);
    const events: VadEvent[] = [];
    let at = 0;
    for (; at + this.frameSamples <= joined.length; at += this.frameSamples) {
      const event = this.frame(rms(joined, at, at + this.frameSamples));
      if (event) events.push(event);
    }
    this.pending = joined.slice(at);
    return events;
  }

  private frame(level: number): VadEvent | undefined {
    this.framesSeen++;
    const nowMs = this.framesSeen * this.frameMs;
    const loud = level >= Math.max(this.minSpeechRms, this.noiseFloor * this.noiseRatio);
    if (!loud) this.trackNoise(level);
    if (this.speechStartedAt === undefined) {
      this.loudRun = loud ? this.loudRun + 1 : 0;
      if (this.loudRun < this.startFrames) return undefined;
      this.speechStartedAt = nowMs - this.loudRun * this.frameMs;
      this.quietRun = 0;
      return { kind: 'speech-start', atMs: this.speechStartedAt };
    }
    this.quietRun = loud ? 0 : this.quietRun + 1;
    if (this.quietRun < this.endFrames) return undefined;
    const startedAtMs = this.speechStartedAt;
    this.speechStartedAt = undefined;
    this.loudRun = 0;
    return { kind: 'speech-end', atMs: nowMs, startedAtMs };
  }

  /** A slow average of the quiet frames: the line's background level. */
  private trackNoise(level: number): void {
    this.noiseFloor = this.noiseFloor === 0 ? level : this.noiseFloor * 0.95 + level * 0.05;
  }
}
