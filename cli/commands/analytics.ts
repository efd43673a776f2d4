import type { Command } from 'commander';
import type { ParleyConfig } from '../../app/config';
import type { ReportOptions, SimulateOptions } from '../actions/analytics';
import type { CliOutput } from './flows';

const stdio: CliOutput = {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
};

// The runtime, the NLU and the PostgreSQL driver load only when a command runs; see cli/main.ts.
const actions = (): typeof import('../actions/analytics') =>
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- lazy on purpose, see cli/main.ts
  require('../actions/analytics') as typeof import('../actions/analytics');

const environmentConfig = (): ParleyConfig =>
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- lazy on purpose, see cli/main.ts
  (require('../../app/config') as typeof import('../../app/config')).loadConfig();

/**
 * `parley report --from 2026-03-02 --to 2026-03-08 --out report.html [--json] [--events file]` and
 * `parley simulate --date 2026-03-02 [--seed 7] [--customers 80] [--out events.json]`.
 */
export function registerAnalyticsCommands(
  program: Command,
  io: CliOutput = stdio,
  config: () => ParleyConfig = environmentConfig,
): void {
  program
    .command('report')
    .description('analytics of a period: a self-contained HTML report with charts, or --json')
    .requiredOption('--from <date>', 'first day (YYYY-MM-DD, UTC)')
    .requiredOption('--to <date>', 'last day, included (YYYY-MM-DD, UTC)')
    .option('--out <file>', 'write the HTML report here')
    .option('--json', 'print the figures as JSON on stdout', false)
    .option('--events <file>', 'read a file from `parley simulate --out` instead of DATABASE_URL')
    .option('--bot <name-or-dir>', 'the bot whose NLU groups unanswered questions', 'acme')
    .action((options: ReportOptions) => actions().reportCommand(config(), options, io));
  program
    .command('simulate')
    .description('a seeded day of demo traffic (customers, escalations, agents, CSAT) through the bot')
    .requiredOption('--date <date>', 'the simulated day (YYYY-MM-DD, UTC)')
    .option('--seed <n>', 'the random seed', '7')
    .option('--customers <n>', 'customers arriving during the day', '80')
    .option('--out <file>', 'also write the events to this file (for `parley report --events`)')
    .option('--bot <name-or-dir>', 'a bot name under bots/, or a bot folder', 'acme')
    .action((options: SimulateOptions) => actions().simulateCommand(config(), options, io));
}
