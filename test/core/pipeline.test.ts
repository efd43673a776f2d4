import type { HandoffSummary } from '../../core/case';
import type { DialogEngine, DialogInput } from '../../core/dialog';
import type { JsonValue } from '../../core/json';
import type { Message } from '../../core/message';
import type { NluParser, NluResult } from '../../core/nlu';
import { APOLOGY, parsePayload } from '../../core/pipeline';
import { createRuntime } from '../../app/runtime';
import { createMemoryStores } from '../../stores/memory';
import { silentLogger } from '../../stores/silent-logger';
import type { Logger } from '../../core/ports';

/** Understands "escalate", "boom" and anything else as `echo`. */
const fakeNlu: NluParser = {
  async parse(text: string): Promise<NluResult> {
    const name = ['escalate', 'boom'].includes(text) ? text : 'echo';
    return {
      text,
      intent: { name, confidence: 0.9 },
      intent_ranking: [{ name, confidence: 0.9 }],
      entities: [],
      locale: 'en',
    };
  },
};

/** Counts turns in its state and echoes; "escalate" asks for a person; "boom" throws. */
const countingDialog: DialogEngine = {
  async step(state: JsonValue | undefined, input: DialogInput) {
    const turns = typeof state === 'number' ? state + 1 : 1;
    if (input.type === 'user' && input.nlu.intent.name === 'boom') throw new Error('back-end exploded');
    if (input.type === 'user' && input.nlu.intent.name === 'escalate') {
      return { state: turns, replies: [], events: [], escalation: { reason: 'customer_request' } };
    }
    const text = input.type === 'user' ? `echo ${input.text} (${turns})` : 'hello';
    return {
      state: turns,
      replies: [{ from: 'bot', text }],
      events: [{ event: 'counted', data: { turns } }],
    };
  },
  summarize(state: JsonValue | undefined): HandoffSummary {
    return { slots: { turns: typeof state === 'number' ? state : 0 }, tried: ['echoed'] };
  },
};

const redactDigits = (text: string) => {
  const cleaned = text.replace(/4111 1111 1111 1111/g, '[card number removed]');
  return { text: cleaned, redactions: cleaned === text ? [] : ['card'] };
};

function setup(logger: Logger = silentLogger) {
  let now = 1_700_000_000_000;
  let id = 0;
  const clock = { now: () => now };
  const stores = createMemoryStores({ retentionMs: 60_000, clock });
  const runtime = createRuntime({
    stores,
    nlu: fakeNlu,
    dialog: countingDialog,
    redact: redactDigits,
    logger,
    clock,
    ids: { next: () => `case-${++id}` },
  });
  const message = (text: string, messageId = `m${++id}`): Message => ({
    channel: 'test',
    channelUserId: 'u1',
    conversationId: 'c1',
    messageId,
    kind: 'text',
    text,
    timestamp: (now += 1000),
    raw: { secret: text },
  });
  return { runtime, stores, message };
}

describe('Pipeline', () => {
  it('understands a spoken message from its transcript, redacted before anything stores it', async () => {
    const { runtime, stores, message } = setup();
    const spoken: Message = {
      ...message('ignored'),
      kind: 'speech',
      speech: { transcript: 'my card is 4111 1111 1111 1111', confidence: 0.82 },
    };
    delete spoken.text;
    const [reply] = await runtime.handle(spoken);
    expect(reply?.text).toBe('echo my card is [card number removed] (1)');
    const line = (await stores.transcripts.read('c1')).find((entry) => entry.speaker === 'customer');
    expect(line).toMatchObject({
      speaker: 'customer',
      text: 'my card is [card number removed]',
      intent: 'echo',
    });
    expect(JSON.stringify(await stores.transcripts.read('c1'))).not.toContain('4111');
  });

  it('keeps dialog state between turns and records every line in order', async () => {
    const { runtime, stores, message } = setup();
    expect(await runtime.handle(message('hi'))).toEqual([{ from: 'bot', text: 'echo hi (1)' }]);
    expect(await runtime.handle(message('again'))).toEqual([{ from: 'bot', text: 'echo again (2)' }]);
    const lines = await stores.transcripts.read('c1');
    expect(lines.map((l) => [l.speaker, l.text ?? l.event])).toEqual([
      ['customer', 'hi'],
      ['system', 'counted'],
      ['bot', 'echo hi (1)'],
      ['customer', 'again'],
      ['system', 'counted'],
      ['bot', 'echo again (2)'],
    ]);
    expect(lines[0]).toMatchObject({ intent: 'echo', confidence: 0.9, channel: 'test' });
  });

  it('processes one conversation in arrival order even when messages arrive together', async () => {
    const { runtime, message } = setup();
    const replies = await Promise.all(['a', 'b', 'c', 'd', 'e'].map((t) => runtime.handle(message(t))));
    expect(replies.map((r) => r[0]?.text)).toEqual([
      'echo a (1)',
      'echo b (2)',
      'echo c (3)',
      'echo d (4)',
      'echo e (5)',
    ]);
  });

  it('answers a retried message id from the record without processing it again', async () => {
    const { runtime, stores, message } = setup();
    const first = await runtime.handle(message('hi', 'same-id'));
    const retry = await runtime.handle(message('hi', 'same-id'));
    expect(retry).toEqual(first);
    expect(await stores.transcripts.count('c1')).toBe(3);
  });

  it('redacts card numbers before any store or the dialog sees them', async () => {
    const { runtime, stores, message } = setup();
    const replies = await runtime.handle(message('my card is 4111 1111 1111 1111'));
    expect(replies[0]?.text).toBe('echo my card is [card number removed] (1)');
    const stored = JSON.stringify([
      await stores.transcripts.read('c1'),
      await stores.conversations.get('c1'),
    ]);
    expect(stored).not.toContain('4111');
    expect(stored).toContain('"event":"redacted"');
  });

  it('records the label a button showed, redacted like the text', async () => {
    const { runtime, stores, message } = setup();
    await runtime.handle({ ...message('/echo'), label: 'Pay with 4111 1111 1111 1111' });
    const inbound = (await stores.transcripts.read('c1')).find((entry) => entry.speaker === 'customer');
    expect(inbound).toMatchObject({ text: '/echo', data: { label: 'Pay with [card number removed]' } });
    expect(await runtime.history('c1')).toEqual([
      { speaker: 'customer', text: 'Pay with [card number removed]' },
      { speaker: 'bot', text: 'echo /echo (1)' },
    ]);
  });

  it('gives the customer a neutral apology and logs the failing stage', async () => {
    const errors: object[] = [];
    const logger: Logger = { ...silentLogger, error: (fields) => errors.push(fields), child: () => logger };
    const { runtime, stores, message } = setup(logger);
    expect(await runtime.handle(message('boom'))).toEqual([APOLOGY]);
    expect(errors).toEqual([expect.objectContaining({ stage: 'decide' })]);
    const lines = await stores.transcripts.read('c1');
    expect(lines.at(-1)).toMatchObject({ event: 'turn.failed', data: { stage: 'decide' } });
    // The failed step left no half-applied state: the next turn counts from where it was.
    expect(await runtime.handle(message('next'))).toEqual([{ from: 'bot', text: 'echo next (1)' }]);
  });

  it('opens a case holding the whole transcript, then routes the customer to it', async () => {
    const { runtime, stores, message } = setup();
    await runtime.handle(message('one'));
    await runtime.handle(message('two'));
    const handoff = await runtime.handle(message('escalate'));
    expect(handoff[0]?.text).toMatch(/colleague/);
    const [item] = await stores.cases.list({ status: 'queued' });
    expect(item?.package.reason).toBe('customer_request');
    expect(item?.package.summary.slots).toEqual({ turns: 3 });
    expect(item?.package.transcript.filter((l) => l.speaker === 'customer').map((l) => l.text)).toEqual([
      'one',
      'two',
      'escalate',
    ]);
    expect(item?.package.transcript.at(-1)).toMatchObject({ event: 'escalated', data: { caseId: item?.id } });

    const published: JsonValue[] = [];
    await stores.bus.subscribe(`case:${item?.id}`, (payload) => published.push(payload));
    const whileQueued = await runtime.handle(message('are you there?'));
    expect(whileQueued[0]?.text).toMatch(/added that to your case/);
    expect(published).toEqual([{ type: 'customer.message', text: 'are you there?' }]);
  });

  it("carries the customer's running sentiment in the case summary", async () => {
    const { runtime, stores, message } = setup();
    await runtime.handle(message('this is awful, terrible and useless'));
    await runtime.handle(message('escalate'));
    const [item] = await stores.cases.list();
    expect(item?.package.summary.sentiment).toBeLessThan(-0.3);
  });

  it('gives the conversation back to the bot once the case is resolved', async () => {
    const { runtime, stores, message } = setup();
    await runtime.handle(message('escalate'));
    const [item] = await stores.cases.list();
    await stores.cases.update(item!.id, (c) => ({ ...c, status: 'resolved' }));
    expect(await runtime.handle(message('back'))).toEqual([{ from: 'bot', text: 'echo back (2)' }]);
  });

  it('delivers pushed replies to listeners of that conversation only', async () => {
    const { runtime } = setup();
    const seen: string[] = [];
    const stop = await runtime.onPush('c1', (reply) => seen.push(reply.text));
    await runtime.onPush('c2', (reply) => seen.push(`wrong: ${reply.text}`));
    await runtime.push('c1', { from: 'agent', agentName: 'Sam', text: 'Hi, Sam here' });
    await stop();
    await runtime.push('c1', { from: 'agent', text: 'after stop' });
    expect(seen).toEqual(['Hi, Sam here']);
  });
});

describe('parsePayload', () => {
  it('reads Rasa-style intent payloads with entities', () => {
    const result = parsePayload('/book_appointment{"time_window":"morning"}');
    expect(result?.intent).toEqual({ name: 'book_appointment', confidence: 1 });
    expect(result?.entities).toEqual([expect.objectContaining({ entity: 'time_window', value: 'morning' })]);
  });

  it('leaves ordinary text and broken payloads to the NLU', () => {
    expect(parsePayload('where is my order')).toBeUndefined();
    expect(parsePayload('/order{broken')).toBeUndefined();
  });
});
