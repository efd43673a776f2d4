/**
 * One call-long recognition stream over a series of Google streams. Audio not yet covered by a final result is
 * kept; when a stream must be replaced (the ~5-minute limit, or Google ending it after a single utterance) the
 * kept audio goes first into the new stream, so nothing the caller said is lost between the two.
 */
import type { protos } from '@google-cloud/speech';
import type { Duplex } from 'node:stream';
import type { AudioFormat, RecognitionStream, Transcript } from '../../core/speech';

export type StreamingConfig = protos.google.cloud.speech.v1.IStreamingRecognitionConfig;
type Response = protos.google.cloud.speech.v1.IStreamingRecognizeResponse;

/** gRPC OUT_OF_RANGE: Google's "exceeded maximum allowed stream duration". */
const OUT_OF_RANGE = 11;

interface KeptAudio {
  /** Where the chunk starts in the current stream's audio, in ms. */
  startMs: number;
  audio: Buffer;
}

export interface ReplayingOptions {
  restartAfterMs: number;
  now?: () => number;
}

export class ReplayingStream implements RecognitionStream {
  private current: Duplex | undefined;
  private streamStartedAt = 0;
  /** Milliseconds of audio written to the current stream. */
  private sentMs = 0;
  private kept: KeptAudio[] = [];
  private ending = false;
  private closed = false;
  private inUtterance = false;
  /** How many streams were opened: the first, then one per restart. */
  streamsOpened = 0;
  private readonly bytesPerMs: number;
  private readonly now: () => number;
  private readonly transcriptListeners: ((t: Transcript) => void)[] = [];
  private readonly speechListeners: (() => void)[] = [];
  private readonly errorListeners: ((e: Error) => void)[] = [];

  constructor(
    private readonly openStream: () => Duplex,
    format: AudioFormat,
    private readonly options: ReplayingOptions,
  ) {
    this.bytesPerMs = (format.sampleRateHertz * (format.encoding === 'mulaw' ? 1 : 2)) / 1000;
    this.now = options.now ?? Date.now;
  }

  write(audio: Buffer): void {
    if (this.closed || this.ending) return;
    if (!this.current || this.now() - this.streamStartedAt >= this.options.restartAfterMs) this.restart();
    this.send(Buffer.from(audio));
  }

  end(): void {
    if (this.closed || this.ending) return;
    this.ending = true;
    this.current?.end();
  }

  close(): void {
    this.closed = true;
    this.detach()?.destroy();
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

  private send(audio: Buffer): void {
    this.kept.push({ startMs: this.sentMs, audio });
    this.sentMs += audio.length / this.bytesPerMs;
    this.current?.write(audio);
  }

  /** Replaces the current stream (if any) and replays the audio no final result has covered yet. */
  private restart(): void {
    this.detach()?.end();
    const stream = this.openStream();
    this.current = stream;
    this.streamsOpened++;
    this.streamStartedAt = this.now();
    this.inUtterance = false;
    stream.on('data', (response: Response) => this.onResponse(response));
    stream.on('error', (error: Error & { code?: number }) => this.onStreamError(stream, error));
    stream.on('end', () => this.onStreamEnd(stream));
    const replay = this.kept;
    this.kept = [];
    this.sentMs = 0;
    for (const { audio } of replay) this.send(audio);
  }

  private detach(): Duplex | undefined {
    const previous = this.current;
    previous?.removeAllListeners('data');
    previous?.removeAllListeners('end');
    previous?.removeAllListeners('error');
    // A late error from a stream we let go must not crash the process.
    previous?.on('error', () => undefined);
    this.current = undefined;
    return previous;
  }

  private onResponse(response: Response): void {
    if (this.closed) return;
    if (response.speechEventType === 'SPEECH_ACTIVITY_BEGIN' || response.speechEventType === 2) {
      this.speechStarted();
    }
    for (const result of response.results ?? []) {
      const best = result.alternatives?.[0];
      if (!best?.transcript) continue;
      this.speechStarted();
      const final = result.isFinal === true;
      const confidence = final ? best.confidence : (result.stability ?? undefined);
      this.emitTranscript({ text: best.transcript.trim(), final, ...(confidence ? { confidence } : {}) });
      if (final) {
        this.inUtterance = false;
        this.forget(durationMs(result.resultEndTime) ?? this.sentMs);
      }
    }
  }

  private speechStarted(): void {
    if (this.inUtterance) return;
    this.inUtterance = true;
    for (const listener of this.speechListeners) listener();
  }

  /** Drops the kept audio a final result has covered (up to `endMs` in this stream's audio). */
  private forget(endMs: number): void {
    this.kept = this.kept.filter((chunk) => chunk.startMs + chunk.audio.length / this.bytesPerMs > endMs);
  }

  private onStreamEnd(stream: Duplex): void {
    if (stream !== this.current || this.closed) return;
    this.detach();
    // Google ended it (single utterance, time limit): the next write opens a fresh stream, replaying.
    if (!this.ending && this.kept.length > 0) this.restart();
  }

  private onStreamError(stream: Duplex, error: Error & { code?: number }): void {
    if (stream !== this.current || this.closed) return;
    this.detach();
    if (error.code === OUT_OF_RANGE && !this.ending) {
      this.restart();
      return;
    }
    for (const listener of this.errorListeners) listener(error);
  }

  private emitTranscript(transcript: Transcript): void {
    for (const listener of this.transcriptListeners) listener(transcript);
  }
}

/** A protobuf Duration as milliseconds. */
function durationMs(duration: protos.google.protobuf.IDuration | null | undefined): number | undefined {
  if (!duration) return undefined;
  return Number(duration.seconds ?? 0) * 1000 + (duration.nanos ?? 0) / 1e6;
}
