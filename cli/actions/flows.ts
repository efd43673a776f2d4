import { withLinking } from '../../linking/implementations';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { botDirectory, displayPath, hasBotDefinition, loadBotDefinition } from '../../app/bot-definition';
import { loadBotDeskConfig } from '../../desk/desk-config';
import {
  checkIntents,
  checkQueues,
  flowToMermaid,
  formatIssue,
  validateFlows,
  type DialogEngineOptions,
  type DialogImplementations,
  type FlowIssue,
} from '../../dialogs';
import type { SourceFlow } from '../../dialogs/flow-loader';
import { findSkillCollisions, loadBuiltinSkillData, loadTrainingData, TrainingDataError } from '../../nlu';
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
    implementations: withLinking(bot.createImplementations()),
    options: bot.engineOptions ?? {},
    ...(bot.defaultLocale ? { defaultLocale: bot.defaultLocale } : {}),
  };
}

/** Warnings on the bot's training phrases against its flows; a broken training file is an error. */
async function trainingIssues(botDir: string, flows: SourceFlow[]): Promise<FlowIssue[]> {
  const nluDir = join(botDir, 'nlu');
  if (!existsSync(nluDir)) return [];
  try {
    const bot = await loadTrainingData(nluDir);
    const collisions = findSkillCollisions(bot, await loadBuiltinSkillData()).map(({ example, skill }) => ({
      phrase: example,
      skill,
    }));
    return checkIntents(flows, { phrases: bot.examples, collisions });
  } catch (error) {
    if (!(error instanceof TrainingDataError)) throw error;
    return [
      { file: error.file, ...(error.line ? { line: error.line } : {}), path: '', message: error.reason },
    ];
  }
}

const count = (n: number, noun: string): string => `${n} ${noun}${n === 1 ? '' : 's'}`;

/** `bot` is a bot name under bots/ or a bot folder. Warnings are printed but only errors fail. */
export async function validateCommand(bot: string, io: CliOutput): Promise<void> {
  const botDir = displayPath(botDirectory(bot));
  const { flows, issues } = validateFlows({ flowsDir: join(botDir, 'flows'), ...loadBot(botDir) });
  const errors = issues.filter((issue) => issue.severity !== 'warning');
  const warnings = [
    ...issues.filter((issue) => issue.severity === 'warning'),
    ...(await trainingIssues(botDir, flows)),
    ...checkQueues(
      flows,
      (await loadBotDeskConfig(botDir)).queues.map((queue) => queue.id),
    ),
  ];
  if (errors.length === 0) {
    const note = warnings.length ? ` (${count(warnings.length, 'warning')})` : '';
    io.out(`OK: ${flows.length} flows in ${join(botDir, 'flows')}${note}\n`);
  }
  const shown = [...errors, ...warnings.filter((issue) => !errors.includes(issue))];
  if (shown.length === 0) return;
  const summary = errors.length ? `\n${count(errors.length, 'problem')} found` : '';
  io.err(`${shown.map(formatIssue).join('\n')}${summary}\n`);
  if (errors.length) process.exitCode = 1;
}

export function diagramCommand(bot: string, flowId: string | undefined, io: CliOutput): void {
  const botDir = displayPath(botDirectory(bot));
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
