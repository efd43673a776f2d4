import type { Command } from 'commander';
import type { TestOptions } from '../actions/test';
import type { CliOutput } from './flows';

const stdio: CliOutput = {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
};

// The runtime loads only when the command runs; see cli/main.ts.
const actions = (): typeof import('../actions/test') =>
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- lazy on purpose, see cli/main.ts
  require('../actions/test') as typeof import('../actions/test');

/**
 * `parley test [--bot <name-or-dir>] [--coverage] [--min-coverage 80] [--junit out.xml] [--redis [url]]`:
 * the bot's `tests/*.conv.yaml` conversations, with no TypeScript to write.
 */
export function registerTestCommand(program: Command, io: CliOutput = stdio): void {
  program
    .command('test')
    .description("run a bot's conversation scripts (tests/*.conv.yaml) and report flow coverage")
    .option('--bot <name-or-dir>', 'a bot name under bots/, or a bot folder', 'acme')
    .option('--coverage', 'report the states and transitions of every flow the scripts reach')
    .option(
      '--min-coverage <percent>',
      'fail when state or transition coverage is under this (implies --coverage)',
    )
    .option('--junit <file>', 'also write the results as JUnit XML')
    .option('--redis [url]', 'run on Redis (a test database) instead of memory: the URL, or REDIS_URL')
    .action((options: TestOptions) => actions().testCommand(options, io));
}
