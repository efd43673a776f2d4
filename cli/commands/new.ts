import type { Command } from 'commander';
import type { NewOptions } from '../actions/new';
import type { CliOutput } from './flows';

const stdio: CliOutput = {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
};

// Loads only when the command runs; see cli/main.ts.
const actions = (): typeof import('../actions/new') =>
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- lazy on purpose, see cli/main.ts
  require('../actions/new') as typeof import('../actions/new');

/** `parley new <dir> [--template support|minimal] [--language en,es]`: a working bot to start from. */
export function registerNewCommand(program: Command, io: CliOutput = stdio): void {
  program
    .command('new <dir>')
    .description('create a working bot (phrases, flows, a service stub, conversation tests) in a new folder')
    .option('--template <name>', 'support (order status, opening hours) or minimal', 'support')
    .option('--language <list>', 'the languages it speaks: en, or en,es', 'en')
    .action((dir: string, options: NewOptions) => actions().newCommand(dir, options, io));
}
