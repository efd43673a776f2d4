import { PassThrough } from 'node:stream';
import { FakeRuntime } from '../../test/support/fake-runtime';
import type { Message, Reply } from '../../core/message';
import { formatReply, pickButton, runTerminalChat } from './terminal.connector';

function script(message: Message): Reply[] {
  if (message.kind === 'launch') {
    return [
      {
        from: 'bot',
        text: 'Hi! What can I do?',
        buttons: [
          { title: 'Track my order', payload: '/order_status' },
          { title: 'Opening hours', payload: '/opening_hours' },
        ],
      },
    ];
  }
  if (message.text === '/opening_hours') return [{ from: 'bot', text: 'We open at 9.' }];
  return [{ from: 'bot', text: `You said: ${message.text}` }];
}

/** Runs a chat fed by `lines`, returning everything printed once the chat ends. */
async function chat(runtime: FakeRuntime, lines: string[], debug = false) {
  const input = new PassThrough();
  const output = new PassThrough();
  let printed = '';
  output.on('data', (chunk: Buffer) => (printed += chunk.toString('utf8')));
  const done = runTerminalChat({ runtime, input, output, debug, clock: { now: () => 0 } });
  for (const line of lines) input.write(`${line}\n`);
  await done;
  return printed;
}

describe('terminal chat', () => {
  it('greets, shows numbered buttons, picks one by number and quits on /quit', async () => {
    const runtime = new FakeRuntime(script);
    const printed = await chat(runtime, ['2', 'hello', '/quit', 'never sent']);
    // Buttons degrade to numbered options (core/degrade.ts), as on every text-only channel.
    expect(printed).toContain('bot> Hi! What can I do?\n1. Track my order\n2. Opening hours\n');
    expect(printed).toContain('you> 2\n  → Opening hours\nbot> We open at 9.\n');
    expect(printed).toContain('bot> You said: hello\n');
    expect(runtime.handled.map((m) => [m.kind, m.text])).toEqual([
      ['launch', undefined],
      ['text', '/opening_hours'],
      ['text', 'hello'],
    ]);
    expect(
      runtime.handled.every((m) => m.channel === 'terminal' && m.conversationId === 'terminal:designer'),
    ).toBe(true);
    expect(new Set(runtime.handled.map((m) => m.messageId)).size).toBe(3);
  });

  it('picks an option by its title too', async () => {
    const runtime = new FakeRuntime(script);
    const printed = await chat(runtime, ['track my order', '/quit']);
    expect(printed).toContain('  → Track my order\n');
    expect(runtime.handled.at(-1)?.text).toBe('/order_status');
  });

  it('sends a number as text when there is no such button', async () => {
    const runtime = new FakeRuntime(script);
    await chat(runtime, ['7', '/quit']);
    expect(runtime.handled.at(-1)?.text).toBe('7');
  });

  it('prints intent and confidence per turn with --debug', async () => {
    const runtime = new FakeRuntime(script);
    const printed = await chat(runtime, ['where is my order', '/quit'], true);
    expect(printed).toContain(
      '  · intent order_status (0.91) order_id="A-1001"\nbot> You said: where is my order\n',
    );
  });

  it('prints pushed agent replies as they arrive and stops listening at the end', async () => {
    const runtime = new FakeRuntime(script);
    const input = new PassThrough();
    const output = new PassThrough();
    let printed = '';
    output.on('data', (chunk: Buffer) => (printed += chunk.toString('utf8')));
    const done = runTerminalChat({ runtime, input, output });
    while (runtime.listenerCount('terminal:designer') === 0) await new Promise((r) => setTimeout(r, 5));
    runtime.deliverNow('terminal:designer', {
      from: 'agent',
      agentName: 'Dana',
      text: 'Dana here, I can help.',
    });
    input.end();
    await done;
    expect(printed).toContain('agent Dana> Dana here, I can help.\n');
    expect(runtime.listenerCount('terminal:designer')).toBe(0);
  });

  it('keeps going after a failed turn', async () => {
    const runtime = new FakeRuntime((message) => {
      if (message.text === 'boom') throw new Error('flow crashed');
      return script(message);
    });
    const printed = await chat(runtime, ['boom', 'hello', '/quit']);
    expect(printed).toContain('!! the turn failed: flow crashed\n');
    expect(printed).toContain('bot> You said: hello\n');
  });

  it('strips terminal control sequences from bot and agent text', () => {
    expect(formatReply({ from: 'bot', text: 'hi\u001b[2J\u001b]0;pwned\u0007 there' })).toBe(
      'bot> hi[2J]0;pwned there',
    );
    expect(pickButton('1', [{ title: 'A', payload: '/a' }])).toEqual({ title: 'A', payload: '/a' });
    expect(pickButton('1a', [{ title: 'A', payload: '/a' }])).toBeUndefined();
  });
});
