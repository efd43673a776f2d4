import type { Command } from 'commander';
import type { CliOutput } from './flows';

const stdio: CliOutput = {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
};

// Loads only when the command runs; see cli/main.ts.
const actions = (): typeof import('../actions/devices') =>
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- lazy on purpose, see cli/main.ts
  require('../actions/devices') as typeof import('../actions/devices');

/** `parley devices add|list|rotate-key|remove|simulate`: the device registry and a device simulator. */
export function registerDeviceCommands(program: Command, io: CliOutput = stdio): void {
  const devices = program.command('devices').description('connected devices: registry and simulator');
  devices
    .command('add')
    .description('register a device to a customer and print its key (once)')
    .requiredOption('--device <id>', 'the device id (letters, digits, ".", "_", "-")')
    .requiredOption('--owner <customerId>', 'the owner: a customer id Parley knows (webchat:<session>, …)')
    .requiredOption('--model <model>', 'the product model, e.g. acme-router-x2')
    .option('--secret <key>', 'use this key instead of a new random one')
    .action((options: { device: string; owner: string; model: string; secret?: string }) =>
      actions().addDevice(options, io),
    );
  devices
    .command('list')
    .description('list devices (never their keys)')
    .option('--owner <customerId>', 'only this customer’s devices')
    .action((options: { owner?: string }) => actions().listDevices(options, io));
  devices
    .command('rotate-key')
    .description('give a device a new key, effective at once, and print it (once)')
    .requiredOption('--device <id>', 'the device id')
    .action((options: { device: string }) => actions().rotateDeviceKey(options, io));
  devices
    .command('remove')
    .description('forget a device: its events are refused from now on')
    .requiredOption('--device <id>', 'the device id')
    .action((options: { device: string }) => actions().removeDevice(options, io));
  devices
    .command('simulate')
    .description('play a device against a running server: send a signed fault and answer the command')
    .requiredOption('--device <id>', 'the device id')
    .requiredOption('--fault <code>', 'the fault code, e.g. wan_down (fixable) or psu_failure (not)')
    .option('--secret <key>', 'the device key (default: read from the registry)')
    .option('--url <url>', 'Parley’s base URL, for an HTTP device (default http://127.0.0.1:$PORT)')
    .option('--mqtt <url>', 'the broker, for an MQTT device, e.g. mqtt://127.0.0.1:1883')
    .option('--outcome <outcome>', 'after the command: fixed, broken or silent', 'fixed')
    .action(
      (options: {
        device: string;
        fault: string;
        secret?: string;
        url?: string;
        mqtt?: string;
        outcome: string;
      }) => {
        const outcome = options.outcome;
        if (outcome !== 'fixed' && outcome !== 'broken' && outcome !== 'silent') {
          io.err('--outcome: fixed, broken or silent\n');
          process.exitCode = 1;
          return undefined;
        }
        return actions().simulateDevice({ ...options, outcome }, io);
      },
    );
}
