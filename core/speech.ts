/**
 * The speech ports a voice channel runs around the turn pipeline: speech-to-text turns the caller's audio
 * into partial and final transcripts, text-to-speech turns replies into audio. Engines live outside `core/`
 * (Google Cloud Speech, pocketsphinx, espeak-ng); a call session only sees these interfaces.
 */

/** Audio as the telephone carries it: 8 kHz mono μ-law (Twilio Media Streams), or 16-bit PCM. */
export type AudioEncoding = 'mulaw' | 'linear16';

export interface AudioFormat {
  encoding: AudioEncoding;
  sampleRateHertz: number;
}

/** What the current turn expects to hear: phrases and entity values that bias recognition. */
export interface RecognitionHints {
  /** BCP 47, e.g. `en-US`, `es-ES`. */
  locale: string;
  /** Phrases likely now (the bot's training phrases, the slot being asked's values: "A1001", "tomorrow"). */
  phrases: readonly string[];
  /** The slot being asked, when one is (`order_number`): engines may switch to a digits or spelling model. */
  slot?: string;
}

/** A transcript from a recognition stream. */
export interface Transcript {
  text: string;
  /** 0..1 when the engine reports it. */
  confidence?: number;
  /** A final transcript ends an utterance; partial ones may still change. */
  final: boolean;
}

/**
 * One caller utterance stream. Audio goes in as it arrives (20 ms frames); transcripts come out through
 * `onTranscript`. `onSpeechStart` fires when the caller starts talking (barge-in); end of utterance is a
 * final transcript.
 */
export interface RecognitionStream {
  write(audio: Buffer): void;
  /** No more audio: flush and end with a final transcript if anything was heard. */
  end(): void;
  /** Abandons the stream (call hung up); no more callbacks. */
  close(): void;
  onTranscript(listener: (transcript: Transcript) => void): void;
  onSpeechStart(listener: () => void): void;
  onError(listener: (error: Error) => void): void;
}

/** Speech-to-text: opens a recognition stream for one utterance (or a whole call, restarted as needed). */
export interface SpeechToText {
  readonly name: string;
  open(format: AudioFormat, hints: RecognitionHints): RecognitionStream;
}

/** Text-to-speech: one sentence (plain text or SSML) to audio in the requested format. */
export interface TextToSpeech {
  readonly name: string;
  synthesize(input: { text?: string; ssml?: string; locale: string }, format: AudioFormat): Promise<Buffer>;
}
