import type { Command } from 'commander';
import { buildRuntime, loadBotDefinition } from '../../app/bootstrap';
import { loadConfig } from '../../app/config';
import { createLogger } from '../../app/logger';
import { runTerminalChat } from '../../connectors/terminal/terminal.connector';
import { redactText } from '../../transcripts/redact';

interface ChatOptions {
  bot: string;
  debug: boolean;
}

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
    .action((options: ChatOptions) => chat(options));
}

async function chat({ bot: botName, debug }: ChatOptions): Promise<void> {
  // A designer's session never touches shared Redis, whatever the environment says.
  const config = { ...loadConfig(), store: { kind: 'memory' as const } };
  // Warnings and errors on stderr, so they never interleave with the conversation's lines on stdout.
  const logger = createLogger({ level: 'warn', redact: redactText, destination: process.stderr });
  const bot = loadBotDefinition(botName);
  process.stderr.write(`Loading bot "${bot.name}" (training its NLU)…\n`);
  const runtime = await buildRuntime(bot, config, { logger });
  try {
    await runTerminalChat({ runtime, input: process.stdin, output: process.stdout, debug });
  } finally {
    await runtime.close();
  }
}
