import { systemClock } from '../../core/defaults';
import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import type { ChannelCapabilities, Connector, ConnectorContext } from '../../core/connector';
import { degradeReplies, matchOption, offeredButtons } from '../../core/degrade';
import type { Button, Message, Reply } from '../../core/message';
import type { Clock, IdGenerator } from '../../core/ports';
import type { ConversationRuntime } from '../../core/runtime';

export interface TerminalOptions {
  input: Readable;
  output: Writable;
  /** Prints the NLU's intent and confidence for every line typed. */
  debug?: boolean;
  /** One terminal session is one conversation: `terminal:<userId>`. */
  userId?: string;
}

export interface TerminalChatOptions extends TerminalOptions {
  runtime: ConversationRuntime;
  clock?: Clock;
  ids?: IdGenerator;
}

/** Plain lines in a terminal: options are numbered, agents' replies are printed as they come. */
export const TERMINAL_CAPABILITIES: ChannelCapabilities = {
  text: true,
  buttons: false,
  cards: false,
  speech: false,
  audio: false,
  media: false,
  push: true,
  typing: false,
  endSession: false,
};

const HELP = 'Type a message, a number to pick an option, or /quit to leave.';

/** Replies as the lines the terminal prints (degraded to plain text, control characters removed). */
export function renderTerminal(replies: readonly Reply[]): string[] {
  return degradeReplies(replies, TERMINAL_CAPABILITIES).map(formatReply);
}

/**
 * A chat with the bot in the terminal, for flow designers: no server, the same runtime as every other
 * channel. Resolves when the user types `/quit` or the input ends.
 *
 * @example
 * await runTerminalChat({ runtime, input: process.stdin, output: process.stdout, debug: true });
 */
export async function runTerminalChat(options: TerminalChatOptions): Promise<void> {
  await openTerminalChat(options).done;
}

/**
 * The terminal as a connector: `start` opens the chat on its streams, `send` prints out-of-turn replies,
 * `finished` resolves when the user quits.
 *
 * @example
 * const terminal = createTerminalConnector({ input: process.stdin, output: process.stdout });
 * connectors.register(terminal);
 * await connectors.start(context);
 * await terminal.finished();
 */
export function createTerminalConnector(
  options: TerminalOptions,
): Connector<string[]> & { finished(): Promise<void> } {
  let chat: TerminalChat | undefined;
  const userId = options.userId ?? 'designer';
  return {
    name: 'terminal',
    capabilities: TERMINAL_CAPABILITIES,
    toMessage(payload, { clock, ids }) {
      if (typeof payload !== 'string') return { ok: false, detail: 'expected a typed line' };
      const text = payload.trim();
      if (text.length === 0) return { ok: false, detail: 'the line is empty' };
      return {
        ok: true,
        message: { ...baseMessage(userId, clock), kind: 'text', text, messageId: ids.next() },
      };
    },
    render: (replies) => renderTerminal(replies),
    async start(context: ConnectorContext) {
      chat = openTerminalChat({ ...options, ...context });
      await chat.ready;
    },
    async stop() {
      chat?.stop();
      await chat?.done;
    },
    async send(target, replies) {
      if (!chat || target.session !== conversationIdOf(userId)) return 0;
      return chat.show(replies);
    },
    finished: async () => chat?.done,
  };
}

interface TerminalChat {
  /** Resolves once the chat listens for pushes and has greeted. */
  ready: Promise<void>;
  done: Promise<void>;
  /** Prints out-of-turn replies; how many were printed (0 once the chat ended). */
  show(replies: readonly Reply[]): number;
  stop(): void;
}

function openTerminalChat({
  runtime,
  input,
  output,
  debug = false,
  userId = 'designer',
  clock = systemClock,
  ids = counterIds(),
}: TerminalChatOptions): TerminalChat {
  const conversationId = conversationIdOf(userId);
  let options: Button[] = [];
  let ended = false;
  const print = (line: string) => output.write(`${line}\n`);
  const show = (reply: Reply) => {
    const offered = offeredButtons(reply, TERMINAL_CAPABILITIES);
    if (offered.length > 0) options = offered;
    for (const line of renderTerminal([reply])) print(line);
  };
  const turn = async (message: Message) => {
    try {
      for (const reply of await runtime.handle(message)) show(reply);
    } catch (error) {
      print(`!! the turn failed: ${clean(error instanceof Error ? error.message : String(error))}`);
    }
  };

  // Line editing only on a real terminal; pipes (tests, scripted sessions) get plain lines.
  const terminal = Boolean((output as Writable & { isTTY?: boolean }).isTTY);
  const rl = createInterface({ input, output, prompt: 'you> ', terminal });
  // Taken now, so lines typed during the greeting are buffered rather than emitted to no one.
  const lines = rl[Symbol.asyncIterator]();

  const ready = (async () => {
    // Agent replies and hand-backs arrive outside a turn; print them as they come.
    const stopPush = await runtime.onPush(conversationId, (reply) => {
      show(reply);
      rl.prompt();
    });
    print(HELP);
    await turn({ ...baseMessage(userId, clock), kind: 'launch', messageId: ids.next() });
    rl.prompt();
    return stopPush;
  })();

  const done = (async () => {
    const stopPush = await ready;
    try {
      for await (const line of lines) {
        // A piped session is not echoed by a terminal: echo it so the output reads as a transcript.
        if (!terminal) print(line);
        const typed = line.trim();
        if (typed === '/quit') break;
        if (typed.length > 0) {
          const picked = matchOption(typed, options);
          if (picked) print(`  → ${clean(picked.title)}`);
          const text = picked ? picked.payload : typed;
          if (debug) await printIntent(runtime, text, print);
          await turn({ ...baseMessage(userId, clock), kind: 'text', text, messageId: ids.next() });
        }
        rl.prompt();
      }
    } finally {
      ended = true;
      rl.close();
      await stopPush();
    }
  })();

  return {
    ready: ready.then(() => undefined),
    done,
    show(replies) {
      if (ended) return 0;
      for (const reply of replies) show(reply);
      rl.prompt();
      return replies.length;
    },
    stop: () => rl.close(),
  };
}

function conversationIdOf(userId: string): string {
  return `terminal:${userId}`;
}

function baseMessage(userId: string, clock: Clock): Omit<Message, 'kind' | 'messageId'> {
  return {
    channel: 'terminal',
    channelUserId: userId,
    conversationId: conversationIdOf(userId),
    timestamp: clock.now(),
  };
}

/** `2` picks the second option of the last reply that offered some; anything else is plain text. */
export function pickButton(typed: string, buttons: readonly Button[]): Button | undefined {
  return matchOption(typed, buttons);
}

export function formatReply(reply: Reply): string {
  const who = reply.from === 'agent' ? `agent ${reply.agentName ?? ''}`.trim() : reply.from;
  return `${clean(who)}> ${clean(reply.text)}`;
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
