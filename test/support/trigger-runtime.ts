import { createRuntime } from '../../app/runtime';
import type { DialogEngine } from '../../core/dialog';
import type { Message } from '../../core/message';
import type { NluParser } from '../../core/nlu';
import type { HandoffPort } from '../../core/pipeline';
import { createMemoryStores } from '../../stores/memory';
import { silentLogger } from '../../stores/silent-logger';
import { createCaseRouting } from '../../handoff/case-routing';

/** Understands `intent:<name>[@confidence] text`, and anything else as `chitchat` at 0.9. */
const prefixNlu: NluParser = {
  async parse(text) {
    const match = /^intent:(\w+)(?:@([\d.]+))?\s*/.exec(text);
    const intent = { name: match?.[1] ?? 'chitchat', confidence: match?.[2] ? Number(match[2]) : 0.9 };
    return { text, intent, intent_ranking: [intent], entities: [], locale: 'en' };
  },
};

/**
 * Answers every message with "bot step", so tests see whether the bot's own step ran; like a complaint
 * flow, the `complaint` intent hands off by itself, to the `complaints` queue.
 */
const echoDialog: DialogEngine = {
  async step(state, input) {
    const replies = [{ from: 'bot' as const, text: 'bot step' }];
    if (input.type === 'user' && input.nlu.intent.name === 'complaint') {
      return {
        state: state ?? null,
        replies,
        events: [],
        escalation: { reason: 'complaint', queue: 'complaints' },
      };
    }
    return { state: state ?? null, replies, events: [] };
  },
  summarize: () => ({ slots: {}, tried: ['answered'] }),
};

/** A real runtime on memory stores, with the same handoff port the runtime builds for itself. */
export function triggerRuntime(start = Date.UTC(2025, 0, 6, 10)) {
  let now = start;
  let seq = 0;
  const clock = { now: () => now };
  const ids = { next: () => `case-${++seq}` };
  const stores = createMemoryStores({ retentionMs: 3_600_000, clock });
  const runtime = createRuntime({
    stores,
    nlu: prefixNlu,
    dialog: echoDialog,
    redact: (text) => ({ text, redactions: [] }),
    logger: silentLogger,
    clock,
    ids,
  });
  const handoff: HandoffPort = createCaseRouting({ stores, dialog: echoDialog, clock, ids });
  const send = (text: string, conversationId = 'c1') => {
    now += 1000;
    const message: Message = {
      channel: 'test',
      // One customer per conversation: an address's customer keeps one active conversation.
      channelUserId: `u-${conversationId}`,
      conversationId,
      messageId: `m${++seq}`,
      kind: 'text',
      text,
      timestamp: now,
    };
    return runtime.handle(message);
  };
  return { runtime, stores, handoff, send, setNow: (value: number) => (now = value) };
}
