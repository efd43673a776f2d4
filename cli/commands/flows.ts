import type { Command } from 'commander';

export interface CliOutput {
  out(text: string): void;
  err(text: string): void;
}

const stdio: CliOutput = {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
};

// The dialog engine (~25 MB) loads only when a flows command runs; see cli/main.ts.
const actions = (): typeof import('../actions/flows') =>
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- lazy on purpose, see cli/main.ts
  require('../actions/flows') as typeof import('../actions/flows');

/** `parley flows validate` and `parley flows diagram`: the designer's tools for a bot's flow files. */
export function registerFlowCommands(program: Command, io: CliOutput = stdio): void {
  const flows = program.command('flows').description("check and draw a bot's dialog flows");
  flows
    .command('validate')
    .description('validate every flow (schema and static checks); prints OK or each problem with file:line')
    .option('--bot <name-or-dir>', 'a bot name under bots/, or a bot folder', 'acme')
    .action((options: { bot: string }) => actions().validateCommand(options.bot, io));
  flows
    .command('diagram')
    .description('print a Mermaid state diagram of the flows (paste it into docs)')
    .option('--bot <name-or-dir>', 'a bot name under bots/, or a bot folder', 'acme')
    .option('--flow <id>', 'only this flow')
    .action((options: { bot: string; flow?: string }) =>
      actions().diagramCommand(options.bot, options.flow, io),
    );
}
