import type { Command } from 'commander';
import type { CliOutput } from './flows';

const stdio: CliOutput = {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
};

// Loads only when the command runs; see cli/main.ts.
const actions = (): typeof import('../actions/twilio') =>
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- lazy on purpose, see cli/main.ts
  require('../actions/twilio') as typeof import('../actions/twilio');

const collect = (value: string, previous: string[]): string[] => [...previous, value];

/**
 * `parley twilio sign --url <url> [--param k=v ...] [--token …] [--curl]`: the `X-Twilio-Signature` Twilio
 * would send, so the SMS/WhatsApp webhook can be tried with curl.
 */
export function registerTwilioCommands(program: Command, io: CliOutput = stdio): void {
  const twilio = program.command('twilio').description('SMS and WhatsApp through Twilio');
  twilio
    .command('sign')
    .description('print the X-Twilio-Signature for a webhook URL and its POST parameters')
    .requiredOption('--url <url>', 'the full URL Twilio calls (https://host/webhooks/twilio/messages)')
    .option('--param <name=value>', 'a POST parameter (repeat for each)', collect, [])
    .option('--token <token>', 'the auth token (default: PARLEY_TWILIO_AUTH_TOKEN)')
    .option('--curl', 'print a ready-to-run curl command instead of the bare signature', false)
    .action((options: { url: string; param: string[]; token?: string; curl: boolean }) =>
      actions().signCommand(options, io),
    );
}
