import type { Command } from 'commander';
import type { ParleyConfig } from '../../app/config';
import type { CliOutput } from './flows';

const stdio: CliOutput = {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
};

// The PostgreSQL driver and the migration tool load only when a db command runs; see cli/main.ts.
const actions = (): typeof import('../actions/db') =>
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- lazy on purpose, see cli/main.ts
  require('../actions/db') as typeof import('../actions/db');

/** The configuration from the environment (DATABASE_URL), read only when the command runs. */
const environmentConfig = (): ParleyConfig =>
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- lazy on purpose, see cli/main.ts
  (require('../../app/config') as typeof import('../../app/config')).loadConfig();

/** `parley db migrate`: brings the PostgreSQL schema of DATABASE_URL up to date. */
export function registerDbCommands(
  program: Command,
  io: CliOutput = stdio,
  config: () => ParleyConfig = environmentConfig,
): void {
  const db = program.command('db').description('the PostgreSQL database of durable records (DATABASE_URL)');
  db.command('migrate')
    .description('apply pending schema migrations (also run at start-up; safe to repeat)')
    .action(() => actions().migrateCommand(config(), io));
}
