/**
 * Speech engines for voice channels. `createSpeechEngines` picks Google Cloud Speech when it is configured and
 * the offline pair (pocketsphinx, espeak-ng) otherwise, so a laptop with no cloud account can take a call.
 */
import type { SpeechToText, TextToSpeech } from '../core/speech';
import type { TrainingData } from '../nlu/loader';
import { EspeakTextToSpeech } from './espeak/engine';
import { GoogleSpeechToText, type GoogleClientOptions } from './google/engine';
import { PocketsphinxSpeechToText } from './pocketsphinx/engine';

export { decodeAudio, encodeAudio, mulawToPcm, pcmToMulaw, readWav, resample, writeWav } from './audio';
export { EnergyVad, type VadOptions, type VadEvent } from './vad';
export { splitSentences, synthesizeSentences, type SentenceAudio } from './sentences';
export { spokenWords, writtenText } from './spoken';
export { EspeakTextToSpeech, GoogleSpeechToText, PocketsphinxSpeechToText };

/** The speech settings `app/config.ts` reads (`PARLEY_STT`, `GOOGLE_APPLICATION_CREDENTIALS`). */
export interface SpeechSettings {
  stt: 'google' | 'pocketsphinx';
  google?: { keyFile?: string; model?: string; singleUtterance?: boolean };
}

export interface SpeechEngines {
  stt: SpeechToText;
  tts: TextToSpeech;
  /** Releases temporary files and connections. */
  dispose(): Promise<void>;
}

/**
 * @example
 * const engines = await createSpeechEngines(config.speech, { training: await loadTrainingData('bots/acme/nlu') });
 * const stream = engines.stt.open({ encoding: 'mulaw', sampleRateHertz: 8000 }, hints);
 */
export async function createSpeechEngines(
  settings: SpeechSettings,
  bot: { training: TrainingData },
  /** Extra Google client options (an endpoint, credentials); tests use a local server. */
  googleClient?: GoogleClientOptions,
): Promise<SpeechEngines> {
  const tts = new EspeakTextToSpeech();
  if (settings.stt === 'google') {
    const google = new GoogleSpeechToText({
      client: {
        ...(settings.google?.keyFile ? { keyFilename: settings.google.keyFile } : {}),
        ...googleClient,
      },
      ...(settings.google?.model ? { model: settings.google.model } : {}),
      ...(settings.google?.singleUtterance ? { singleUtterance: true } : {}),
    });
    return { stt: google, tts, dispose: () => google.close() };
  }
  const pocketsphinx = await PocketsphinxSpeechToText.create({ training: bot.training });
  return { stt: pocketsphinx, tts, dispose: () => pocketsphinx.dispose() };
}
