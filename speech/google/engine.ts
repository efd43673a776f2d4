/**
 * Google Cloud Speech-to-Text (v1 `streamingRecognize`) behind the speech port: the phone-call model with
 * interim results, speech contexts from the turn's hints, and voice-activity events for barge-in. Google ends a
 * stream after about five minutes, so a call-long stream is restarted before that; the audio sent since the
 * last final result is replayed into the new stream, so no word falls between the two.
 */
import { SpeechClient, type protos } from '@google-cloud/speech';
import type { Duplex } from 'node:stream';
import type { AudioFormat, RecognitionHints, RecognitionStream, SpeechToText } from '../../core/speech';
import { ReplayingStream, type StreamingConfig } from './replaying-stream';

/** `SpeechClient` options: credentials or `keyFilename`, `apiEndpoint`, `port`, `sslCreds`. */
export type GoogleClientOptions = NonNullable<ConstructorParameters<typeof SpeechClient>[0]>;

export interface GoogleSpeechOptions {
  /** Client options (credentials, endpoint); tests point `apiEndpoint`/`port` at a local gRPC server. */
  client?: GoogleClientOptions;
  /** `phone_call` by default: trained on 8 kHz telephone audio. */
  model?: string;
  useEnhanced?: boolean;
  /** Ends each utterance with `END_OF_SINGLE_UTTERANCE`; off by default (voice-activity events instead). */
  singleUtterance?: boolean;
  /** How much the hints' phrases are favoured (Google's `boost`, 0–20). */
  boost?: number;
  /** A stream is restarted after this long; Google's limit is about 5 minutes. */
  restartAfterMs?: number;
}

const MAX_PHRASES = 500;

export class GoogleSpeechToText implements SpeechToText {
  readonly name = 'google';
  private readonly client: SpeechClient;

  constructor(private readonly options: GoogleSpeechOptions = {}) {
    this.client = new SpeechClient(options.client);
  }

  open(format: AudioFormat, hints: RecognitionHints): RecognitionStream {
    const config = this.streamingConfig(format, hints);
    const openStream = (): Duplex => this.client.streamingRecognize(config) as Duplex;
    return new ReplayingStream(openStream, format, {
      restartAfterMs: this.options.restartAfterMs ?? 270_000,
    });
  }

  async close(): Promise<void> {
    await this.client.close();
  }

  /** The request Google gets first on every stream. */
  streamingConfig(format: AudioFormat, hints: RecognitionHints): StreamingConfig {
    const phrases = [...new Set(hints.phrases.map((p) => p.trim()).filter((p) => p.length > 0))].slice(
      0,
      MAX_PHRASES,
    );
    const config: protos.google.cloud.speech.v1.IRecognitionConfig = {
      encoding: format.encoding === 'mulaw' ? 'MULAW' : 'LINEAR16',
      sampleRateHertz: format.sampleRateHertz,
      languageCode: hints.locale,
      model: this.options.model ?? 'phone_call',
      useEnhanced: this.options.useEnhanced ?? true,
      enableAutomaticPunctuation: true,
      maxAlternatives: 1,
      ...(phrases.length > 0 ? { speechContexts: [{ phrases, boost: this.options.boost ?? 10 }] } : {}),
    };
    return {
      config,
      interimResults: true,
      ...(this.options.singleUtterance ? { singleUtterance: true } : { enableVoiceActivityEvents: true }),
    };
  }
}
