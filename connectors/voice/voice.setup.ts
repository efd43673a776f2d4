import { join } from 'node:path';
import type { Connector } from '../../core/connector';
import type { MessageCatalogue } from '../../core/messages';
import { loadBotTrainingData } from '../../nlu/builtin-skills';
import { createSpeechEngines, type SpeechSettings } from '../../speech';
import { keypadForms } from './voice.keypad';
import { createVoiceConnector, type VoiceOptions } from './voice.connector';

export interface VoiceSetup {
  authToken: string;
  accountSid?: string;
  apiUrl?: string;
  publicUrl?: string;
  voiceTransferTo?: string;
}

/**
 * The phone channel as `npm start` runs it: the configured speech engines (speech/: pocketsphinx with a
 * grammar from the bot's training data, or Google Cloud Speech; espeak-ng), Twilio settings from the
 * configuration. The engines are released when the server stops. Engines in `extra` (tests, benchmarks) take
 * the place of the configured ones.
 */
export async function createOfflineVoiceConnector(
  settings: VoiceSetup,
  speech: SpeechSettings,
  bot: { directory: string; messages: MessageCatalogue },
  extra: Partial<VoiceOptions> = {},
): Promise<Connector> {
  const training = await loadBotTrainingData(join(bot.directory, 'nlu'));
  const engines = await createSpeechEngines(speech, { training });
  // Hints for engines that take them as phrases (Google); pocketsphinx's grammar holds them already.
  const phrases = training.examples
    .filter((example) => example.language === 'en')
    .map((example) => example.text);
  const connector = createVoiceConnector({
    authToken: settings.authToken,
    ...(settings.accountSid ? { accountSid: settings.accountSid } : {}),
    ...(settings.apiUrl ? { apiUrl: settings.apiUrl } : {}),
    ...(settings.publicUrl ? { publicUrl: settings.publicUrl } : {}),
    ...(settings.voiceTransferTo ? { transferTo: settings.voiceTransferTo } : {}),
    stt: engines.stt,
    tts: engines.tts,
    phrases,
    keypad: keypadForms(training.entities),
    messages: bot.messages,
    ...extra,
  });
  return {
    ...connector,
    async stop() {
      await connector.stop?.();
      await engines.dispose();
    },
  };
}
