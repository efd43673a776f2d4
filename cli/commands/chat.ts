import type { Command } from 'commander';
import type { ChatOptions } from '../actions/chat';

// The bot runtime and its connectors (~110 MB) load only when `parley chat` runs; see cli/main.ts.
const actions = (): typeof import('../actions/chat') =>
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- lazy on purpose, see cli/main.ts
  require('../actions/chat') as typeof import('../actions/chat');

/**
 * `parley chat [--bot acme|bots/acme] [--debug]`: the bot in the terminal, for flow designers. It runs the
 * same runtime as the server, on an in-memory store, with no server and no network.
 */
export function registerChatCommand(program: Command): void {
  program
    .command('chat')
    .description('chat with a bot in the terminal (no server needed)')
    .option('--bot <name-or-dir>', 'a bot name under bots/, or a bot folder', 'acme')
    .option('--debug', 'print the intent and confidence of every message', false)
    .action((options: ChatOptions) => actions().chat(options));
}
