// A real Parley server process for multi-process tests: the Acme bot with configuration from the
// environment (REDIS_URL, PARLEY_AGENT_TOKEN_SECRET, ...). Prints `READY <url>` once listening.
import { loadBotDefinition, startParley } from '../../../app/bootstrap';
import { loadConfig } from '../../../app/config';
import { createLogger } from '../../../app/logger';
import { redactText } from '../../../transcripts/redact';

async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger({ level: config.logLevel, redact: redactText });
  const parley = await startParley(loadBotDefinition(config.bot), config, { logger });
  process.stdout.write(`READY ${parley.address.url}\n`);
  const stop = () => {
    parley.close().finally(() => process.exit(0));
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
