import type { KnowledgeBase } from '../core/knowledge';
import type { MessageCatalogue } from '../core/messages';
import type { Logger } from '../core/ports';
import { DEFAULT_OPTIONS, type DialogEngineOptions, type EngineTexts } from './types';

export interface EngineSettings {
  /** The engine's sentences in a locale (`dialogs/engine-texts.ts`). */
  texts: (locale: string) => EngineTexts;
  /** Plain-string flow texts are in this locale; locale maps fall back to it. */
  defaultLocale: string;
  /** Labels for slot values per language (`values.<slot>.<value>`), from the bot's catalogue. */
  messages?: MessageCatalogue;
  confidenceThreshold: number;
  clarifyMargin: number;
  clarifyFloor: number;
  maxMisunderstandings: number;
  maxStackDepth: number;
  restartPhrases: readonly string[];
  menu?: readonly string[];
  knowledge?: KnowledgeBase;
  logger?: Logger;
  observe?: DialogEngineOptions['observe'];
}

/** Lower case, no punctuation, single spaces: how restart phrases are compared. */
export function normalise(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s]/gu, '')
    .replace(/\s+/g, ' ')
    .trim();
}

export function engineSettings(
  options: DialogEngineOptions,
  texts: EngineSettings['texts'],
  defaultLocale = 'en',
  messages?: MessageCatalogue,
): EngineSettings {
  return {
    texts,
    defaultLocale,
    ...(messages ? { messages } : {}),
    confidenceThreshold: options.confidenceThreshold ?? DEFAULT_OPTIONS.confidenceThreshold,
    clarifyMargin: options.clarifyMargin ?? DEFAULT_OPTIONS.clarifyMargin,
    clarifyFloor: options.clarifyFloor ?? DEFAULT_OPTIONS.clarifyFloor,
    maxMisunderstandings: options.maxMisunderstandings ?? DEFAULT_OPTIONS.maxMisunderstandings,
    maxStackDepth: options.maxStackDepth ?? DEFAULT_OPTIONS.maxStackDepth,
    restartPhrases: (options.restartPhrases ?? DEFAULT_OPTIONS.restartPhrases).map(normalise),
    ...(options.menu ? { menu: options.menu } : {}),
    ...(options.knowledge ? { knowledge: options.knowledge } : {}),
    logger: options.logger,
    ...(options.observe ? { observe: options.observe } : {}),
  };
}
