import type { AnalyticsEvent, AnalyticsStore } from '../core/analytics';
import type { Case } from '../core/case';
import { sealJson, type JsonObject, type JsonValue } from '../core/json';
import type { TurnContext } from '../core/turn';
import { createMemoryAnalytics } from '../stores/memory-analytics';
import { memoryLogger } from '../test/support/fake-runtime';
import { createAnalyticsRecorder } from './recorder';
import { repeatedToAgent, turnAnalytics } from './turn-hook';

const NOW = Date.UTC(2026, 2, 2, 9);
const retention = { retentionMs: 86_400_000, questionRetentionMs: 3_600_000 };
const clock = { now: () => NOW + 40 };

function context(overrides: Partial<TurnContext>): TurnContext {
  return {
    input: { type: 'message' },
    message: {
      channel: 'sms',
      channelUserId: 'u',
      conversationId: 'conv',
      messageId: 'm1',
      kind: 'text',
      text: 'A1001',
      timestamp: NOW,
    },
    session: 'conv',
    log: memoryLogger(),
    now: NOW,
    customerId: 'cust',
    state: { conversationId: 'conv', customerId: 'cust', updatedAt: NOW, locale: 'en' },
    replies: [],
    entries: [],
    routedToCase: false,
    ...overrides,
  };
}

const caseWith = (slots: JsonObject): Case =>
  ({
    id: 'case-1',
    queue: 'general',
    package: { reason: 'complaint', summary: { slots, tried: [] } },
  }) as unknown as Case;

async function run(ctx: TurnContext, slotsBefore: JsonObject, open?: Case) {
  const store = createMemoryAnalytics(retention, clock);
  const hooks = turnAnalytics({
    recorder: createAnalyticsRecorder(store, memoryLogger()),
    stores: { cases: { get: async (id: string) => (open?.id === id ? open : undefined) } as never },
    slotsOf: () => slotsBefore,
    clock,
  });
  await hooks.understand(ctx, async () => {});
  await hooks.record(ctx, async () => {});
  return store;
}

const read = (store: AnalyticsStore) => store.read({ from: 0, to: Number.MAX_SAFE_INTEGER });

describe('turn analytics hooks', () => {
  it('counts a slot given again with the value the conversation had, not a new value', async () => {
    const filled = (slot: string, value: string) => ({
      at: NOW,
      speaker: 'system' as const,
      channel: 'sms',
      event: 'slot.filled',
      data: { flow: 'f', slot, value },
    });
    const ctx = context({
      nlu: {
        text: 'A1001',
        intent: { name: 'order_number', confidence: 0.9 },
        intent_ranking: [],
        entities: [],
        locale: 'en',
      },
      entries: [filled('order_number', 'A1001'), filled('postcode', 'SW1A 1AA')],
    });
    const events = await read(await run(ctx, { order_number: 'A1001', postcode: 'M1 1AE' }));
    expect(events.map((e) => e.type)).toEqual(['turn.completed', 'info.repeated']);
    expect(events[0]).toEqual({
      type: 'turn.completed',
      at: NOW,
      conversationId: 'conv',
      customerId: 'cust',
      channel: 'sms',
      intent: 'order_number',
      confidence: 0.9,
      locale: 'en',
      fallback: false,
      outOfScope: false,
      escalated: false,
      toAgent: false,
      durationMs: 40,
    } satisfies AnalyticsEvent);
    expect(events[1]).toMatchObject({ slot: 'order_number', afterHandoff: false });
  });

  it('reads the slots the turn found: a sealed state only when a slot is filled, any other at once', async () => {
    const summarised: JsonValue[] = [];
    const store = createMemoryAnalytics(retention, clock);
    const hooks = turnAnalytics({
      recorder: createAnalyticsRecorder(store, memoryLogger()),
      stores: { cases: { get: async () => undefined } as never },
      slotsOf: (dialog) => {
        summarised.push(dialog ?? null);
        return ((dialog as JsonObject | undefined)?.['slots'] as JsonObject | undefined) ?? {};
      },
      clock,
    });
    const turn = async (dialog: JsonValue, entries: TurnContext['entries'], change: () => void) => {
      const ctx = context({ entries });
      ctx.state.dialog = dialog;
      await hooks.understand(ctx, async () => change());
      await hooks.record(ctx, async () => {});
    };
    const filled = { at: NOW, speaker: 'system' as const, channel: 'sms', event: 'slot.filled' };
    const sealed = sealJson({ slots: { postcode: 'SW1A 1AA' } });
    await turn(sealed, [], () => {});
    expect(summarised).toEqual([]); // nothing filled: the frozen state was never summarised
    await turn(sealed, [{ ...filled, data: { slot: 'postcode', value: 'SW1A 1AA' } }], () => {});
    expect(summarised).toEqual([sealed]);
    const loose: JsonObject = { slots: { postcode: 'M1 1AE' } };
    // A state that is not sealed may change during the turn: the hook summarised it before.
    await turn(loose, [{ ...filled, data: { slot: 'postcode', value: 'M1 1AE' } }], () => {
      loose['slots'] = { postcode: 'other' };
    });
    const events = await read(store);
    expect(events.map((e) => e.type)).toEqual([
      'turn.completed',
      'turn.completed',
      'info.repeated',
      'turn.completed',
      'info.repeated',
    ]);
    // The stored JSON keeps key order: the schema's.
    expect(Object.keys(events[0] as object)).toEqual([
      'at',
      'conversationId',
      'customerId',
      'channel',
      'type',
      'locale',
      'fallback',
      'outOfScope',
      'escalated',
      'toAgent',
      'durationMs',
    ]);
  });

  it('counts a message to the agent that repeats a value of the handoff package', async () => {
    const ctx = context({
      routedToCase: true,
      state: { conversationId: 'conv', customerId: 'cust', updatedAt: NOW, caseId: 'case-1' },
    });
    ctx.message.text = 'like I said, order a-1001';
    const events = await read(await run(ctx, {}, caseWith({ order_number: 'A1001', postcode: 'SW1A 1AA' })));
    expect(events.map((e) => [e.type, 'slot' in e ? e.slot : undefined])).toEqual([
      ['turn.completed', undefined],
      ['info.repeated', 'order_number'],
    ]);
    expect(repeatedToAgent(caseWith({ order_number: 'A1001' }), 'any news on my parcel?')).toEqual([]);
  });

  it('keeps the text of an out-of-scope message apart, and skips out-of-turn input', async () => {
    const ctx = context({
      nlu: {
        text: 'do you sell phones',
        intent: { name: 'out_of_scope', confidence: 0.7 },
        intent_ranking: [],
        entities: [],
        locale: 'en',
      },
      entries: [{ at: NOW, speaker: 'system', channel: 'sms', event: 'fallback', data: { count: 1 } }],
    });
    ctx.message.text = 'do you sell phones';
    const store = await run(ctx, {});
    expect(await store.readQuestions({ from: 0, to: Number.MAX_SAFE_INTEGER })).toEqual([
      {
        at: NOW,
        conversationId: 'conv',
        channel: 'sms',
        locale: 'en',
        kind: 'out_of_scope',
        intent: 'out_of_scope',
        text: 'do you sell phones',
      },
    ]);
    expect(JSON.stringify(await read(store))).not.toContain('phones');
    const agentReply = context({ input: { type: 'note', lines: [] } });
    expect(await read(await run(agentReply, {}))).toEqual([]);
  });
});

describe('the analytics recorder', () => {
  it('drops an invalid event with an error log, and never throws when the store fails', async () => {
    const lines: { level: string; fields: object; message?: string }[] = [];
    const store = createMemoryAnalytics(retention, clock);
    const recorder = createAnalyticsRecorder(store, memoryLogger(lines));
    const bad = {
      type: 'satisfaction',
      at: NOW,
      conversationId: 'c',
      customerId: 'x',
      channel: 'sms',
      score: 7,
    } as AnalyticsEvent;
    const good = {
      type: 'satisfaction',
      at: NOW,
      conversationId: 'c',
      customerId: 'x',
      channel: 'sms',
      score: 1,
    } as AnalyticsEvent;
    await recorder.emit(bad, good);
    expect(await read(store)).toEqual([good]);
    expect(lines).toEqual([
      expect.objectContaining({ level: 'error', message: 'invalid analytics event dropped' }),
    ]);
    const failing = { ...store, record: async () => Promise.reject(new Error('db down')) };
    await expect(createAnalyticsRecorder(failing, memoryLogger(lines)).emit(good)).resolves.toBeUndefined();
    expect(lines.at(-1)).toMatchObject({ level: 'warn', message: 'analytics events could not be stored' });
  });
});
