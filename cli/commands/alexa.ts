import type { Command } from 'commander';
import type { CliOutput } from './flows';
import type { ModelOptions } from '../actions/alexa';

const stdio: CliOutput = {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
};

// Loads only when the command runs; see cli/main.ts.
const actions = (): typeof import('../actions/alexa') =>
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- lazy on purpose, see cli/main.ts
  require('../actions/alexa') as typeof import('../actions/alexa');

/** `parley alexa model --bot bots/acme [--out model.json] [--invocation "acme support"] [--locale en]`. */
export function registerAlexaCommands(program: Command, io: CliOutput = stdio): void {
  const alexa = program.command('alexa').description('Alexa custom skills');
  alexa
    .command('model')
    .description("print (or write) the skill's interaction model for the Alexa developer console")
    .option('--bot <name-or-dir>', 'a bot name under bots/, or a bot folder', 'acme')
    .option('--out <file>', 'write the model JSON to this file instead of printing it')
    .option('--invocation <name>', 'the invocation name (default: "<company> support")')
    .option('--locale <language>', 'the language of the model: en, es…', 'en')
    .action((options: ModelOptions) => actions().modelCommand(options, io));
}
