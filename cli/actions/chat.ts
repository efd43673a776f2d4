import { buildRuntime, loadBotDefinition } from '../../app/bootstrap';
import { loadConfig } from '../../app/config';
import { createLogger } from '../../app/logger';
import { createTerminalConnector } from '../../connectors/terminal/terminal.connector';
import { createConnectorRegistry } from '../../core/connector-registry';
import { systemClock, uuidIds } from '../../core/defaults';
import { redactText } from '../../transcripts/redact';

export interface ChatOptions {
  bot: string;
  debug: boolean;
}

/** `parley chat`: the same runtime as the server, on an in-memory store, with no server and no network. */
export async function chat({ bot: botName, debug }: ChatOptions): Promise<void> {
  // A designer's session never touches shared Redis, whatever the environment says.
  const config = { ...loadConfig(), store: { kind: 'memory' as const } };
  // Warnings and errors on stderr, so they never interleave with the conversation's lines on stdout.
  const logger = createLogger({ level: 'warn', redact: redactText, destination: process.stderr });
  const bot = loadBotDefinition(botName);
  process.stderr.write(`Loading bot "${bot.name}" (training its NLU)…\n`);
  const runtime = await buildRuntime(bot, config, { logger });
  const connectors = createConnectorRegistry();
  const terminal = createTerminalConnector({ input: process.stdin, output: process.stdout, debug });
  connectors.register(terminal);
  try {
    await connectors.start({ runtime, logger, clock: systemClock, ids: uuidIds });
    await terminal.finished();
  } finally {
    await connectors.stop();
    await runtime.close();
  }
}
