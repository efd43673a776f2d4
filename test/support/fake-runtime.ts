import type { Message, Reply } from '../../core/message';
import type { NluResult } from '../../core/nlu';
import type { Logger } from '../../core/ports';
import type { ConversationRuntime, SeenLine } from '../../core/runtime';

/**
 * A scripted ConversationRuntime for connector tests: it records every message, answers from `reply`,
 * and lets a test push a reply to a conversation the way an agent would.
 */
export class FakeRuntime implements ConversationRuntime {
  readonly handled: Message[] = [];
  private readonly listeners = new Map<string, Set<(reply: Reply) => void>>();

  /** What `history` answers, per conversation: recorded like a transcript as messages and pushes pass. */
  readonly lines = new Map<string, SeenLine[]>();

  constructor(public reply: (message: Message) => Reply[] | Promise<Reply[]> = echo) {}

  async history(conversationId: string, limit = 50): Promise<SeenLine[]> {
    return (this.lines.get(conversationId) ?? []).slice(-limit);
  }

  async handle(message: Message): Promise<Reply[]> {
    this.handled.push(message);
    const said = message.label ?? message.text;
    if (said !== undefined) this.remember(message.conversationId, { speaker: 'customer', text: said });
    const replies = await this.reply(message);
    for (const reply of replies) this.remember(message.conversationId, seen(reply));
    return replies;
  }

  private remember(conversationId: string, line: SeenLine): void {
    this.lines.set(conversationId, [...(this.lines.get(conversationId) ?? []), line]);
  }

  async onPush(conversationId: string, handler: (reply: Reply) => void): Promise<() => Promise<void>> {
    const set = this.listeners.get(conversationId) ?? new Set();
    set.add(handler);
    this.listeners.set(conversationId, set);
    return async () => {
      set.delete(handler);
    };
  }

  /** Delivers `reply` to every listener on the conversation at once; returns how many there were. */
  deliverNow(conversationId: string, reply: Reply): number {
    this.remember(conversationId, seen(reply));
    const set = this.listeners.get(conversationId) ?? new Set();
    for (const handler of set) handler(reply);
    return set.size;
  }

  async push(conversationId: string, reply: Reply): Promise<void> {
    this.deliverNow(conversationId, reply);
  }

  listenerCount(conversationId: string): number {
    return this.listeners.get(conversationId)?.size ?? 0;
  }

  async parse(text: string): Promise<NluResult> {
    const name = text.toLowerCase().includes('order') ? 'order_status' : 'out_of_scope';
    return {
      text,
      intent: { name, confidence: 0.91 },
      intent_ranking: [
        { name, confidence: 0.91 },
        { name: 'greet', confidence: 0.05 },
      ],
      entities: [{ entity: 'order_id', value: 'A-1001', text: 'A-1001', start: 0, end: 6 }],
      locale: 'en',
    };
  }
}

function seen(reply: Reply): SeenLine {
  return {
    speaker: reply.from,
    text: reply.text,
    ...(reply.agentName ? { agentName: reply.agentName } : {}),
  };
}

function echo(message: Message): Reply[] {
  if (message.kind === 'launch') return [{ from: 'bot', text: 'Hi! How can I help?' }];
  return [{ from: 'bot', text: `You said: ${message.text ?? ''}` }];
}

/** A Logger that keeps lines in memory, so tests can assert what was (and was not) logged. */
export function memoryLogger(lines: { level: string; fields: object; message?: string }[] = []): Logger {
  const at =
    (level: string) =>
    (fields: object, message?: string): void => {
      lines.push({ level, fields, message });
    };
  const logger: Logger = {
    debug: at('debug'),
    info: at('info'),
    warn: at('warn'),
    error: at('error'),
    child: () => logger,
  };
  return logger;
}
