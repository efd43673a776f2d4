import { Command } from 'commander';
import { registerChatCommand } from './commands/chat';
import { registerNluCommands } from './commands/nlu';
import { registerFlowCommands } from './commands/flows';

const program = new Command('parley').description('Parley: customer-service bots on every channel');
registerChatCommand(program);
registerNluCommands(program);
registerFlowCommands(program);

program.parseAsync(process.argv).catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exitCode = 1;
});
