import type { DialogEngineOptions, DialogImplementations } from '../dialogs';

/**
 * A bot is a folder (`nlu/` training phrases, `flows/` flow files) plus its TypeScript implementations.
 * Each bot's `index.ts` exports one of these as `bot`.
 */
export interface BotDefinition {
  name: string;
  /** The bot's folder, holding `nlu/` and `flows/`. */
  directory: string;
  /** A fresh set of effects, guards and look-ups per runtime, so runtimes never share back-end state. */
  createImplementations(): DialogImplementations;
  engineOptions?: DialogEngineOptions;
  defaultLocale?: string;
}
