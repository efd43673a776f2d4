import { join } from 'node:path';
import type { Connector } from '../../core/connector';
import type { MessageCatalogue } from '../../core/messages';
import { loadTrainingData } from '../../nlu/loader';
import { pocketsphinxSpeechToText } from './offline.stt';
import { espeakTextToSpeech } from './offline.tts';
import { createVoiceConnector, type VoiceOptions } from './voice.connector';

export interface VoiceSetup {
  authToken: string;
  accountSid?: string;
  apiUrl?: string;
  publicUrl?: string;
  voiceTransferTo?: string;
}

/**
 * The phone channel as `npm start` runs it: offline engines (pocketsphinx with hints from the bot's English
 * training phrases, espeak-ng), Twilio settings from the configuration.
 */
export async function createOfflineVoiceConnector(
  settings: VoiceSetup,
  bot: { directory: string; messages: MessageCatalogue },
  extra: Partial<VoiceOptions> = {},
): Promise<Connector> {
  const data = await loadTrainingData(join(bot.directory, 'nlu'));
  const phrases = data.examples.filter((example) => example.language === 'en').map((example) => example.text);
  return createVoiceConnector({
    authToken: settings.authToken,
    ...(settings.accountSid ? { accountSid: settings.accountSid } : {}),
    ...(settings.apiUrl ? { apiUrl: settings.apiUrl } : {}),
    ...(settings.publicUrl ? { publicUrl: settings.publicUrl } : {}),
    ...(settings.voiceTransferTo ? { transferTo: settings.voiceTransferTo } : {}),
    stt: pocketsphinxSpeechToText(),
    tts: espeakTextToSpeech(),
    phrases,
    messages: bot.messages,
    ...extra,
  });
}
