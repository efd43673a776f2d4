import { join } from 'node:path';
import { botDirectory, hasBotDefinition, loadBotDefinition } from '../../app/bot-definition';
import {
  flowToMermaid,
  formatIssue,
  validateFlows,
  type DialogEngineOptions,
  type DialogImplementations,
} from '../../dialogs';
import type { CliOutput } from '../commands/flows';

interface BotModule {
  implementations: DialogImplementations;
  options: DialogEngineOptions;
  /** Locale maps in flows must have this locale's text. */
  defaultLocale?: string;
}

/** A full bot brings its implementations; a bare folder of flows is checked against none. */
function loadBot(botDir: string): BotModule {
  if (!hasBotDefinition(botDir)) return { implementations: {}, options: {} };
  const bot = loadBotDefinition(botDir);
  return {
    implementations: bot.createImplementations(),
    options: bot.engineOptions ?? {},
    ...(bot.defaultLocale ? { defaultLocale: bot.defaultLocale } : {}),
  };
}

/** `bot` is a bot name under bots/ or a bot folder. */
export function validateCommand(bot: string, io: CliOutput): void {
  const botDir = botDirectory(bot);
  const { flows, issues } = validateFlows({ flowsDir: join(botDir, 'flows'), ...loadBot(botDir) });
  if (issues.length === 0) {
    io.out(`OK: ${flows.length} flows in ${join(botDir, 'flows')}\n`);
    return;
  }
  io.err(
    `${issues.map(formatIssue).join('\n')}\n${issues.length} problem${issues.length === 1 ? '' : 's'} found\n`,
  );
  process.exitCode = 1;
}

export function diagramCommand(bot: string, flowId: string | undefined, io: CliOutput): void {
  const botDir = botDirectory(bot);
  const { flows } = validateFlows({ flowsDir: join(botDir, 'flows'), implementations: {} });
  const chosen = flowId ? flows.filter((flow) => flow.spec.id === flowId) : flows;
  if (chosen.length === 0) {
    io.err(
      `no flow "${flowId}" in ${join(botDir, 'flows')} (have: ${flows.map((f) => f.spec.id).join(', ')})\n`,
    );
    process.exitCode = 1;
    return;
  }
  io.out(chosen.map((flow) => flowToMermaid(flow.spec)).join('\n'));
}
