import type { Command } from 'commander';
import type { ParleyConfig } from '../../app/config';
import type { CliOutput } from './flows';

const stdio: CliOutput = {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
};

// Loaded only when a privacy command runs; see cli/main.ts.
const actions = (): typeof import('../actions/privacy') =>
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- lazy on purpose, see cli/main.ts
  require('../actions/privacy') as typeof import('../actions/privacy');

const environmentConfig = (): ParleyConfig =>
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- lazy on purpose, see cli/main.ts
  (require('../../app/config') as typeof import('../../app/config')).loadConfig();

/** `parley privacy map | scan | retention | export | erase`: the data map and per-customer rights on the configured stores. */
export function registerPrivacyCommands(
  program: Command,
  io: CliOutput = stdio,
  config: () => ParleyConfig = environmentConfig,
): void {
  const privacy = program.command('privacy').description('data map, subject access, erasure and store scans');
  privacy
    .command('map')
    .description('print what Parley stores, where, for how long and why (from the store modules)')
    .action(() => actions().mapCommand(config(), io));
  privacy
    .command('scan')
    .description('read every Redis key and value and every PostgreSQL row: report where a customer remains')
    .requiredOption('--customer <id>', 'the customer id')
    .option('--also <ids...>', 'further ids to look for (conversation ids, phone numbers)', [])
    .action((options: { customer: string; also: string[] }) => actions().scanCommand(config(), io, options));
  privacy
    .command('retention')
    .description('report Redis keys and PostgreSQL rows without an expiry, or kept past their retention')
    .action(() => actions().retentionCommand(config(), io));
  privacy
    .command('export')
    .description('print everything held about a customer (JSON, or HTML with --html)')
    .requiredOption('--customer <id>', 'the customer id')
    .option('--html', 'a readable page instead of JSON')
    .action((options: { customer: string; html?: boolean }) =>
      actions().exportCommand(config(), io, options),
    );
  privacy
    .command('erase')
    .description('erase a customer from every store (cases keep a tombstone), then scan')
    .requiredOption('--customer <id>', 'the customer id')
    .action((options: { customer: string }) => actions().eraseCommand(config(), io, options));
}
