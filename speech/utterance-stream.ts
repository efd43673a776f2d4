/**
 * A recognition stream for engines that recognise whole utterances (pocketsphinx): the energy VAD says when
 * the caller starts talking (`onSpeechStart`, for barge-in) and when they stopped (~700 ms of quiet); the
 * utterance's audio then goes to the engine and its text comes back as a final transcript. The stream stays
 * open for the next utterance, so one can serve a whole call. Utterances are recognised in order, one at a time.
 */
import type { AudioFormat, RecognitionStream, Transcript } from '../core/speech';
import { decodeAudio } from './audio';
import { EnergyVad, type VadOptions } from './vad';

/** Recognises one utterance; undefined when nothing was understood. */
export type RecognizeUtterance = (samples: Int16Array) => Promise<Transcript | undefined>;

/** Audio kept from before the VAD fired, so the first syllable is not clipped. */
const PRE_ROLL_MS = 300;
/** A caller who never pauses is cut here, so recognition keeps up. */
const MAX_UTTERANCE_MS = 15_000;

export class UtteranceStream implements RecognitionStream {
  private readonly vad: EnergyVad;
  private readonly preRollSamples: number;
  private readonly maxSamples: number;
  private preRoll: Int16Array[] = [];
  private utterance: Int16Array[] = [];
  private utteranceLength = 0;
  private closed = false;
  private ended = false;
  private queue: Promise<void> = Promise.resolve();
  private readonly transcriptListeners: ((t: Transcript) => void)[] = [];
  private readonly speechListeners: (() => void)[] = [];
  private readonly errorListeners: ((e: Error) => void)[] = [];

  constructor(
    private readonly format: AudioFormat,
    vad: VadOptions,
    private readonly recognize: RecognizeUtterance,
  ) {
    this.vad = new EnergyVad(vad);
    this.preRollSamples = (format.sampleRateHertz * PRE_ROLL_MS) / 1000;
    this.maxSamples = (format.sampleRateHertz * MAX_UTTERANCE_MS) / 1000;
  }

  write(audio: Buffer): void {
    if (this.closed || this.ended) return;
    const samples = decodeAudio(audio, this.format.encoding);
    const wasSpeaking = this.vad.speaking;
    const events = this.vad.push(samples);
    if (wasSpeaking || this.vad.speaking || events.length > 0) {
      this.utterance.push(samples);
      this.utteranceLength += samples.length;
    } else {
      this.keepPreRoll(samples);
    }
    for (const event of events) {
      if (event.kind === 'speech-start') {
        this.utterance = [...this.preRoll, ...this.utterance];
        this.utteranceLength = this.utterance.reduce((n, part) => n + part.length, 0);
        this.preRoll = [];
        for (const listener of this.speechListeners) listener();
      } else {
        this.finishUtterance();
      }
    }
    if (this.vad.speaking && this.utteranceLength >= this.maxSamples) this.finishUtterance();
  }

  end(): void {
    if (this.closed || this.ended) return;
    this.ended = true;
    if (this.vad.speaking) this.finishUtterance();
  }

  close(): void {
    this.closed = true;
    this.transcriptListeners.length = 0;
    this.speechListeners.length = 0;
    this.errorListeners.length = 0;
  }

  onTranscript(listener: (transcript: Transcript) => void): void {
    this.transcriptListeners.push(listener);
  }

  onSpeechStart(listener: () => void): void {
    this.speechListeners.push(listener);
  }

  onError(listener: (error: Error) => void): void {
    this.errorListeners.push(listener);
  }

  /** Resolves when every utterance heard so far has been recognised (tests, shutdown). */
  settled(): Promise<void> {
    return this.queue;
  }

  private keepPreRoll(samples: Int16Array): void {
    this.preRoll.push(samples);
    let kept = this.preRoll.reduce((n, part) => n + part.length, 0);
    while (this.preRoll.length > 1 && kept - this.preRoll[0].length >= this.preRollSamples) {
      kept -= this.preRoll[0].length;
      this.preRoll.shift();
    }
  }

  private finishUtterance(): void {
    const audio = new Int16Array(this.utteranceLength);
    let at = 0;
    for (const part of this.utterance) {
      audio.set(part, at);
      at += part.length;
    }
    this.utterance = [];
    this.utteranceLength = 0;
    if (audio.length === 0) return;
    this.queue = this.queue.then(async () => {
      try {
        const transcript = await this.recognize(audio);
        if (transcript && !this.closed) for (const listener of this.transcriptListeners) listener(transcript);
      } catch (error) {
        if (this.closed) return;
        const failure = error instanceof Error ? error : new Error(String(error));
        for (const listener of this.errorListeners) listener(failure);
      }
    });
  }
}
