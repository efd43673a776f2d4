import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { Command } from 'commander';
import { registerFlowCommands } from '../../cli/commands/flows';

async function run(args: string[]): Promise<{ out: string; err: string; exitCode: number }> {
  let out = '';
  let err = '';
  const program = new Command('parley').exitOverride();
  registerFlowCommands(program, { out: (text) => (out += text), err: (text) => (err += text) });
  const before = process.exitCode;
  process.exitCode = 0;
  try {
    await program.parseAsync(['node', 'parley', ...args]);
    return { out, err, exitCode: Number(process.exitCode ?? 0) };
  } finally {
    process.exitCode = before;
  }
}

describe('parley flows', () => {
  it('validate prints each problem with file:line and path, and fails', async () => {
    const bot = join('dialogs', 'test', 'fixtures', 'broken-bot');
    const result = await run(['flows', 'validate', '--bot', bot]);
    expect(result.err).toBe(
      `${join(bot, 'flows', 'order.flow.yaml')}:11 states.ask.on.filled: unknown target state "answr"\n1 problem found\n`,
    );
    expect(result.exitCode).toBe(1);
    expect(result.out).toBe('');
  });

  it('validate passes the acme bot, checked against its implementations and intents', async () => {
    const result = await run(['flows', 'validate', '--bot', 'bots/acme']);
    expect(result).toEqual({ out: 'OK: 18 flows in bots/acme/flows\n', err: '', exitCode: 0 });
  });

  it('validate warns, without failing, on unhandled intents and phrases of a built-in skill', async () => {
    const bot = await mkdtemp(join(tmpdir(), 'parley-validate-'));
    await mkdir(join(bot, 'flows'));
    await mkdir(join(bot, 'nlu'));
    await writeFile(
      join(bot, 'flows', 'order.flow.yaml'),
      'id: order\ntriggers: [order_status]\ninitial: done\nstates:\n  done:\n    type: final\n',
    );
    await writeFile(
      join(bot, 'nlu', 'shop.yaml'),
      'intents:\n  order_status:\n    - where is my order\n    - Never mind!\n  refund:\n    - I want my money back\n  help:\n    - what do you sell\n',
    );
    try {
      const result = await run(['flows', 'validate', '--bot', bot]);
      const nlu = relative(process.cwd(), join(bot, 'nlu', 'shop.yaml'));
      expect(result.err.split('\n')).toEqual([
        `${nlu}:6 intents.refund: warning: intent "refund" has training phrases but no flow handles it`,
        `${nlu}:4 intents.order_status: warning: "Never mind!" is also a phrase of the built-in skill "cancel": ` +
          'the bot\'s label wins, so "cancel" no longer hears it (move it, or set skills.cancel: replace)',
        '',
      ]);
      expect(result.out).toBe(`OK: 1 flows in ${join(bot, 'flows')} (2 warnings)\n`);
      expect(result.exitCode).toBe(0);
    } finally {
      await rm(bot, { recursive: true, force: true });
    }
  });

  it('diagram prints a Mermaid state diagram of one flow', async () => {
    const result = await run(['flows', 'diagram', '--bot', 'bots/acme', '--flow', 'book_appointment']);
    expect(result.out.split('\n').slice(0, 3)).toEqual([
      'stateDiagram-v2',
      '  %% book_appointment: Book an engineer',
      '  [*] --> get_date',
    ]);
    expect(result.out).toContain('  confirm --> book : affirm');
    expect(result.out).toContain('  booked --> [*]');
  });

  it('diagram names the flows it has when asked for an unknown one', async () => {
    const result = await run(['flows', 'diagram', '--bot', 'bots/acme', '--flow', 'nope']);
    expect(result.err).toMatch(
      /^no flow "nope" in bots\/acme\/flows \(have: book_appointment, cancel_service/,
    );
    expect(result.exitCode).toBe(1);
  });
});
