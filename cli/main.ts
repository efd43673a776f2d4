import { Command } from 'commander';
import { registerChatCommand } from './commands/chat';
import { registerNluCommands } from './commands/nlu';
import { registerFlowCommands } from './commands/flows';
import { registerDbCommands } from './commands/db';
import { registerTwilioCommands } from './commands/twilio';
import { registerAlexaCommands } from './commands/alexa';
import { registerPrivacyCommands } from './commands/privacy';
import { registerCallCommand } from './commands/call';
import { registerDeviceCommands } from './commands/devices';
import { registerStartCommand } from './commands/start';
import { registerNewCommand } from './commands/new';
import { registerTestCommand } from './commands/test';
import { describeCliError } from './errors';
import { version } from '../package.json';
import { registerAnalyticsCommands } from './commands/analytics';

// cli/commands/ only wires commander; a command's implementation (cli/actions/) and everything it
// needs load when it runs, so `parley nlu …` never loads the bot runtime and `parley --help` loads
// no Parley code at all. Actions load with require, not import(): bin/parley.js registers tsx for
// CommonJS only, and Node cannot import() a .ts file by itself.
const program = new Command('parley')
  .description('Parley: customer-service bots on every channel')
  .version(version, '-V, --version', 'print the Parley version');
registerStartCommand(program);
registerChatCommand(program);
registerNluCommands(program);
registerFlowCommands(program);
registerDbCommands(program);
registerTwilioCommands(program);
registerAlexaCommands(program);
registerPrivacyCommands(program);
registerCallCommand(program);
registerDeviceCommands(program);
registerNewCommand(program);
registerTestCommand(program);
registerAnalyticsCommands(program);

program.parseAsync(process.argv).catch((error: unknown) => {
  console.error(describeCliError(error));
  process.exitCode = 1;
});
