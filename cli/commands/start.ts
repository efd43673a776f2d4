import { InvalidArgumentError, type Command } from 'commander';
import type { StartOptions } from '../actions/start';

// The server (~110 MB of runtime) loads only when `parley start` runs; see cli/main.ts.
const actions = (): typeof import('../actions/start') =>
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- lazy on purpose, see cli/main.ts
  require('../actions/start') as typeof import('../actions/start');

function workerCount(value: string): number {
  const count = Number(value);
  if (!Number.isInteger(count) || count < 1 || count > 64) {
    throw new InvalidArgumentError('expected a whole number from 1 to 64');
  }
  return count;
}

/**
 * `parley start [--workers N] [--bot acme]`: the server (REST, web chat, agent desk, every configured
 * channel) in N processes sharing one port and one Redis; configuration from the environment.
 */
export function registerStartCommand(program: Command): void {
  program
    .command('start')
    .description(
      'run the server: N worker processes on one port (N > 1 needs REDIS_URL or REDIS_CLUSTER_NODES)',
    )
    .option('--workers <n>', 'server processes sharing the port', workerCount, 1)
    .option('--bot <name-or-dir>', 'a bot name under bots/, or a bot folder (default: PARLEY_BOT or acme)')
    .action((options: StartOptions) => actions().start(options));
}
