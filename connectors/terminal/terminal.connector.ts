import { systemClock } from '../../core/defaults';
import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import type { Button, Message, Reply } from '../../core/message';
import type { Clock, IdGenerator } from '../../core/ports';
import type { ConversationRuntime } from '../../core/runtime';

export interface TerminalChatOptions {
  runtime: ConversationRuntime;
  input: Readable;
  output: Writable;
  /** Prints the NLU's intent and confidence for every line typed. */
  debug?: boolean;
  /** One terminal session is one conversation: `terminal:<userId>`. */
  userId?: string;
  clock?: Clock;
  ids?: IdGenerator;
}

const HELP = 'Type a message, a number to pick a button, or /quit to leave.';

/**
 * A chat with the bot in the terminal, for flow designers: no server, the same runtime as every other
 * channel. Resolves when the user types `/quit` or the input ends.
 *
 * @example
 * await runTerminalChat({ runtime, input: process.stdin, output: process.stdout, debug: true });
 */
export async function runTerminalChat({
  runtime,
  input,
  output,
  debug = false,
  userId = 'designer',
  clock = systemClock,
  ids = counterIds(),
}: TerminalChatOptions): Promise<void> {
  const conversationId = `terminal:${userId}`;
  let buttons: Button[] = [];
  const print = (line: string) => output.write(`${line}\n`);
  const show = (reply: Reply) => {
    print(formatReply(reply));
    if (reply.buttons && reply.buttons.length > 0) {
      buttons = reply.buttons;
      print(formatButtons(reply.buttons));
    }
  };
  const turn = async (message: Message) => {
    try {
      for (const reply of await runtime.handle(message)) show(reply);
    } catch (error) {
      print(`!! the turn failed: ${clean(error instanceof Error ? error.message : String(error))}`);
    }
  };
  const base = (): Omit<Message, 'kind' | 'messageId'> => ({
    channel: 'terminal',
    channelUserId: userId,
    conversationId,
    timestamp: clock.now(),
  });

  // Line editing only on a real terminal; pipes (tests, scripted sessions) get plain lines.
  const terminal = Boolean((output as Writable & { isTTY?: boolean }).isTTY);
  const rl = createInterface({ input, output, prompt: 'you> ', terminal });
  // Taken now, so lines typed during the greeting are buffered rather than emitted to no one.
  const lines = rl[Symbol.asyncIterator]();
  // Agent replies and hand-backs arrive outside a turn; print them as they come.
  const stopPush = await runtime.onPush(conversationId, (reply) => {
    show(reply);
    rl.prompt();
  });
  print(HELP);
  await turn({ ...base(), kind: 'launch', messageId: ids.next() });
  rl.prompt();
  try {
    for await (const line of lines) {
      // A piped session is not echoed by a terminal: echo it so the output reads as a transcript.
      if (!terminal) print(line);
      const typed = line.trim();
      if (typed === '/quit') break;
      if (typed.length > 0) {
        const picked = pickButton(typed, buttons);
        if (picked) print(`  → ${clean(picked.title)}`);
        const text = picked ? picked.payload : typed;
        if (debug) await printIntent(runtime, text, print);
        await turn({ ...base(), kind: 'text', text, messageId: ids.next() });
      }
      rl.prompt();
    }
  } finally {
    rl.close();
    await stopPush();
  }
}

/** `2` picks the second button of the last reply that had buttons; anything else is plain text. */
export function pickButton(typed: string, buttons: readonly Button[]): Button | undefined {
  if (!/^\d+$/.test(typed)) return undefined;
  return buttons[Number(typed) - 1];
}

export function formatReply(reply: Reply): string {
  const who = reply.from === 'agent' ? `agent ${reply.agentName ?? ''}`.trim() : reply.from;
  return `${clean(who)}> ${clean(reply.text)}`;
}

export function formatButtons(buttons: readonly Button[]): string {
  return buttons.map((button, index) => `  [${index + 1}] ${clean(button.title)}`).join('\n');
}

async function printIntent(runtime: ConversationRuntime, text: string, print: (line: string) => void) {
  try {
    const result = await runtime.parse(text);
    const entities = result.entities.map((e) => `${e.entity}=${JSON.stringify(e.value)}`).join(' ');
    print(
      `  · intent ${result.intent.name} (${result.intent.confidence.toFixed(2)})${entities ? ` ${entities}` : ''}`,
    );
  } catch (error) {
    print(`  · parse failed: ${clean(error instanceof Error ? error.message : String(error))}`);
  }
}

/** Bot and agent text is untrusted: escape sequences in it must not drive the designer's terminal. */
function clean(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g, '');
}

function counterIds(): IdGenerator {
  let next = 0;
  const session = Date.now().toString(36);
  return { next: () => `${session}-${++next}` };
}
