import type { Command } from 'commander';
import type { CliOutput } from './flows';

const stdio: CliOutput = {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
};

const actions = (): typeof import('../actions/call') =>
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- lazy on purpose, see cli/main.ts
  require('../actions/call') as typeof import('../actions/call');

/** `parley call [--url …] [--wav file | --say text]`: call the bot's phone channel with no Twilio account. */
export function registerCallCommand(program: Command, io: CliOutput = stdio): void {
  program
    .command('call')
    .description("call the bot's phone channel locally (as Twilio's Media Streams would) and save its answer")
    .option('--url <url>', 'the running Parley', 'http://127.0.0.1:3000')
    .option('--wav <file>', 'what the caller says, as a 16-bit PCM WAV file')
    .option(
      '--say <text>',
      'what the caller says, spoken by espeak-ng',
      'where is my order A one zero zero one',
    )
    .option('--from <number>', "the caller's number", '+15550001234')
    .option('--out <file>', "where the bot's audio is saved", 'answer.wav')
    .option('--wait <seconds>', 'how long to wait for the answer', '20')
    .option('--token <token>', 'the auth token (default: PARLEY_TWILIO_AUTH_TOKEN)')
    .action((options: import('../actions/call').CallOptions) => actions().callCommand(options, io));
}
