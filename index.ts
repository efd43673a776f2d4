/**
 * Parley's public API: what a bot in its own folder or repository imports by package name.
 *
 * @example
 * import { defineBot, type DialogImplementations } from 'parley';
 *
 * export const bot = defineBot({
 *   name: 'shop',
 *   directory: __dirname,
 *   createImplementations: (): DialogImplementations => ({ lookups: {}, guards: {} }),
 * });
 */
import type { BotDefinition } from './app/bot-definition';

export type { BotDefinition } from './app/bot-definition';
export type {
  DialogEngineOptions,
  DialogImplementations,
  EffectImplementation,
  EngineTexts,
  FlowScope,
  GuardImplementation,
  LookupImplementation,
  ValidatorImplementation,
} from './dialogs/types';
export type { JsonObject, JsonValue } from './core/json';
export type { Catalogues } from './core/messages';
export type { HandoffTriggerSettings } from './handoff/triggers';

/** Checks a bot's definition against `BotDefinition` where it is written; returns it unchanged. */
export function defineBot(definition: BotDefinition): BotDefinition {
  return definition;
}

// Testing helpers: conversation scripts (`*.conv.yaml`) and flow coverage, as `parley test` runs them.
export {
  loadConversationScripts,
  parseConversationFile,
  type ConversationScript,
} from './dialogs/testing/conversation-script';
export { runConversation, ScriptFailure, type ScriptTarget } from './dialogs/testing/conversation-runner';
export type { CoverageReport, FlowCoverage, FlowEdge } from './dialogs/testing/coverage';
// `runBotTests` (what `parley test` runs) loads the whole runtime: import it from 'parley/testing'.
