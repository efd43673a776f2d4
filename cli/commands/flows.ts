import { join } from 'node:path';
import { botDirectory, hasBotDefinition, loadBotDefinition } from '../../app/bot-definition';
import type { Command } from 'commander';
import {
  flowToMermaid,
  formatIssue,
  validateFlows,
  type DialogEngineOptions,
  type DialogImplementations,
} from '../../dialogs';

export interface CliOutput {
  out(text: string): void;
  err(text: string): void;
}

const stdio: CliOutput = {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
};

interface BotModule {
  implementations: DialogImplementations;
  options: DialogEngineOptions;
}

/** A full bot brings its implementations; a bare folder of flows is checked against none. */
function loadBot(botDir: string): BotModule {
  if (!hasBotDefinition(botDir)) return { implementations: {}, options: {} };
  const bot = loadBotDefinition(botDir);
  return { implementations: bot.createImplementations(), options: bot.engineOptions ?? {} };
}

function validateCommand(botDir: string, io: CliOutput): void {
  const bot = loadBot(botDir);
  const { flows, issues } = validateFlows({ flowsDir: join(botDir, 'flows'), ...bot });
  if (issues.length === 0) {
    io.out(`OK: ${flows.length} flows in ${join(botDir, 'flows')}\n`);
    return;
  }
  io.err(
    `${issues.map(formatIssue).join('\n')}\n${issues.length} problem${issues.length === 1 ? '' : 's'} found\n`,
  );
  process.exitCode = 1;
}

function diagramCommand(botDir: string, flowId: string | undefined, io: CliOutput): void {
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

/** `parley flows validate` and `parley flows diagram`: the designer's tools for a bot's flow files. */
export function registerFlowCommands(program: Command, io: CliOutput = stdio): void {
  const flows = program.command('flows').description("check and draw a bot's dialog flows");
  flows
    .command('validate')
    .description('validate every flow (schema and static checks); prints OK or each problem with file:line')
    .option('--bot <dir>', 'bot folder', 'bots/acme')
    .action((options: { bot: string }) => validateCommand(botDirectory(options.bot), io));
  flows
    .command('diagram')
    .description('print a Mermaid state diagram of the flows (paste it into docs)')
    .option('--bot <dir>', 'bot folder', 'bots/acme')
    .option('--flow <id>', 'only this flow')
    .action((options: { bot: string; flow?: string }) =>
      diagramCommand(botDirectory(options.bot), options.flow, io),
    );
}
