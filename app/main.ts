// `npm start [-- --bot <name-or-dir>]`: a bot with everything on, in-memory unless REDIS_URL is set.
// The bot is `--bot`, else PARLEY_BOT, else the Acme demo bot.
import { startParley, loadBotDefinition } from './bootstrap';
import { loadConfig } from './config';
import { createLogger } from './logger';
import { parseStartArguments } from './start-arguments';
import { redactText } from '../transcripts/redact';

async function main(): Promise<void> {
  const args = parseStartArguments(process.argv.slice(2));
  const config = loadConfig();
  // Pretty lines for a developer's terminal; JSON when the output goes to a file or a log collector.
  const logger = createLogger({
    level: config.logLevel,
    redact: redactText,
    pretty: process.stdout.isTTY === true,
  });
  const bot = loadBotDefinition(args.bot ?? config.bot);
  const parley = await startParley(bot, config, { logger });
  const { url } = parley.address;
  const store = config.store.kind === 'memory' ? 'memory store' : `${config.store.kind} store`;
  console.log(`\nParley bot "${bot.name}" is up (${store})`);
  console.log(`  web chat     ${url}/`);
  console.log(`  REST         POST ${url}/webhooks/rest/webhook`);
  console.log(`  NLU debug    POST ${url}/model/parse`);
  if (config.twilio) {
    console.log(`  SMS/WhatsApp POST ${url}/webhooks/twilio/messages  (Twilio-signed)`);
    console.log(`  phone calls  POST ${url}/webhooks/twilio/voice  (Twilio-signed; try \`npx parley call\`)`);
  }
  if (config.alexa) console.log(`  Alexa        POST ${url}/webhooks/alexa`);
  console.log(
    `  devices      POST ${url}/webhooks/devices/<deviceId>/events  (signed; MQTT with PARLEY_MQTT_URL)`,
  );
  console.log(
    `  Bot Framework POST ${url}/api/messages  (Teams, Slack… via Azure Bot; the Emulator locally)`,
  );
  console.log(`  agent desk   ${url}/agent`);
  console.log(
    `  flow viewer  ${url}/designer${config.devMode ? '' : '  (desk accounts with the designer role)'}`,
  );
  const demo = config.desk.demoAgent;
  console.log(`  demo agent   ${demo.username} / ${demo.password}  (set PARLEY_DEMO_AGENT=user:password)`);
  console.log(`  health       ${url}/healthz\n`);
  const stop = async (): Promise<void> => {
    await parley.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop());
  process.once('SIGTERM', () => void stop());
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
