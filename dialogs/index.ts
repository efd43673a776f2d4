import { compileFlow, type CompiledFlow } from './compile';
import { FlowDialogEngine, engineSettings } from './engine';
import { FlowValidationError, type FlowIssue } from './errors';
import { checkFlows } from './flow-checks';
import { readFlowDir, type SourceFlow } from './flow-loader';
import type { MessageCatalogue } from '../core/messages';
import { engineTexts } from './engine-texts';
import type { DialogEngineOptions, DialogImplementations } from './types';

export { FlowDialogEngine } from './engine';
export { FlowValidationError, EffectError, DialogError, formatIssue, type FlowIssue } from './errors';
export { flowToMermaid } from './mermaid';
export { checkIntents, type IntentCheckInput, type TrainingPhrase } from './intent-checks';
export { checkQueues } from './queue-checks';
export type { CompiledFlow } from './compile';
export type * from './types';
export { DEFAULT_TEXTS } from './types';
export { engineTexts, engineTextKey } from './engine-texts';
export type { Utterance, Label, Forms } from './localized';

export interface LoadDialogEngineParams {
  /** The bot's `flows/` folder: every `*.flow.yaml` in it is loaded. */
  flowsDir: string;
  implementations: DialogImplementations;
  options?: DialogEngineOptions;
  /**
   * The framework's sentences per locale with the bot's overrides (`locales/load.ts` `loadMessages`);
   * without it the engine speaks the English `DEFAULT_TEXTS`.
   */
  messages?: MessageCatalogue;
  /** The locale of plain-string flow texts, required in every locale map (default: the catalogue's, or `en`). */
  defaultLocale?: string;
}

function defaultLocaleOf(params: LoadDialogEngineParams): string {
  return params.defaultLocale ?? params.messages?.defaultLocale ?? 'en';
}

/**
 * Reads, validates and compiles a bot's flows without building an engine: what `parley flows validate`
 * runs. Issues are sorted by file and line.
 */
export function validateFlows(params: LoadDialogEngineParams): { flows: SourceFlow[]; issues: FlowIssue[] } {
  const { flows, issues } = readFlowDir(params.flowsDir);
  issues.push(
    ...checkFlows(flows, {
      implementations: params.implementations,
      intents: params.options?.intents,
      defaultLocale: defaultLocaleOf(params),
    }),
  );
  issues.sort((a, b) => a.file.localeCompare(b.file) || (a.line ?? 0) - (b.line ?? 0));
  return { flows, issues };
}

/**
 * Loads a bot's flows into a `DialogEngine`. Throws `FlowValidationError` listing every problem
 * (file:line, path inside the flow, reason) when any flow is invalid, so a bad flow never reaches a
 * customer.
 *
 * @example
 * const engine = loadDialogEngine({
 *   flowsDir: 'bots/acme/flows',
 *   implementations: acmeImplementations,
 *   options: { intents: acmeIntents, texts: { launch: 'Hi, I am the Acme assistant.' } },
 * });
 * const { state, replies } = await engine.step(undefined, { type: 'launch' }, turn);
 */
export function loadDialogEngine(params: LoadDialogEngineParams): FlowDialogEngine {
  const { flows, issues } = validateFlows(params);
  if (issues.length > 0) throw new FlowValidationError(issues);
  const compiled = new Map<string, CompiledFlow>();
  for (const flow of flows) compiled.set(flow.spec.id, compileFlow(flow.spec, params.implementations));
  const options = params.options ?? {};
  const texts = engineTexts(params.messages, options.texts);
  const settings = engineSettings(options, texts, defaultLocaleOf(params), params.messages);
  return new FlowDialogEngine(compiled, params.implementations, settings);
}
