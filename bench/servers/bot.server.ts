// The demo bot as a benchmark target: quiet, on a free port, printing its URL as one JSON line.
import { loadBotDefinition, startParley } from '../../app/bootstrap';
import { loadConfig } from '../../app/config';
import { createLogger } from '../../app/logger';
import { redactText } from '../../transcripts/redact';

async function main(): Promise<void> {
  const config = { ...loadConfig(), port: 0, host: '127.0.0.1' };
  const logger = createLogger({ level: 'silent', redact: redactText });
  const parley = await startParley(loadBotDefinition('acme'), config, { logger });
  process.stdout.write(`${JSON.stringify({ url: `${parley.address.url}/webhooks/rest/webhook` })}\n`);
  process.once('SIGTERM', () => void parley.close().then(() => process.exit(0)));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
