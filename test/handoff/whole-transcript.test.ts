import { createRuntime } from '../../app/runtime';
import type { ChannelName, Message } from '../../core/message';
import type { Stores } from '../../core/ports';
import { createCaseService } from '../../handoff/case-service';
import { createMemoryStores } from '../../stores/memory';
import { createRedisStores } from '../../stores/redis';
import { silentLogger } from '../../stores/silent-logger';
import { startRedisServer, type RedisServer } from '../support/redis-server';
import { kitDialog, kitNlu } from './support/desk-kit';

const RETENTION = 3_600_000;

function setup(stores: Stores, conversationId = 'conv-200') {
  let now = 1_700_000_000_000;
  let id = 0;
  const clock = { now: () => now };
  const runtime = createRuntime({
    stores,
    nlu: kitNlu,
    dialog: kitDialog,
    redact: (text) => ({ text, redactions: [] }),
    logger: silentLogger,
    clock,
    ids: { next: () => `${conversationId}-${++id}` },
  });
  // One customer linked on two channels: the conversation (and its transcript) follows them, whatever
  // conversation id each channel's connector proposes.
  const message = (text: string, channel: ChannelName): Message => ({
    channel,
    channelUserId: `${conversationId}-cust`,
    conversationId: channel === 'webchat' ? conversationId : `${channel}:${conversationId}`,
    messageId: `m-${++id}`,
    kind: 'text',
    text,
    timestamp: (now += 1000),
  });
  return { runtime, message, clock };
}

async function escalateAfter200Turns(stores: Stores, conversationId: string) {
  const { runtime, message } = setup(stores, conversationId);
  const userId = `${conversationId}-cust`;
  for (let turn = 1; turn <= 200; turn += 1) {
    await runtime.handle(message(`question ${turn}`, turn % 2 === 0 ? 'rest' : 'webchat'));
    if (turn === 1) await stores.identities.link({ channel: 'rest', userId }, `webchat:${userId}`);
  }
  await runtime.handle(message('human', 'webchat'));
  const [item] = (await stores.cases.list({ status: 'queued' })).filter(
    (c) => c.conversationId === conversationId,
  );
  if (!item) throw new Error('no case was opened');
  return { item, runtime };
}

function expectWholeConversation(transcript: { speaker: string; text?: string; event?: string }[]): void {
  const customer = transcript.filter((line) => line.speaker === 'customer').map((line) => line.text);
  const bot = transcript.filter((line) => line.speaker === 'bot').map((line) => line.text);
  const expected = Array.from({ length: 200 }, (_, i) => `question ${i + 1}`);
  expect(customer).toEqual([...expected, 'human']);
  expect(bot.slice(0, 200)).toEqual(expected.map((text) => `echo: ${text}`));
  // In order: each question is followed directly by its answer.
  for (let i = 0; i < 200; i += 1) {
    expect([transcript[2 * i]?.text, transcript[2 * i + 1]?.text]).toEqual([
      expected[i],
      `echo: ${expected[i]}`,
    ]);
  }
  expect(transcript.at(-1)).toMatchObject({ event: 'escalated' });
}

describe.each([
  ['memory', async () => ({ stores: createMemoryStores({ retentionMs: RETENTION }), stop: async () => {} })],
  [
    'redis',
    async () => {
      const server: RedisServer = await startRedisServer();
      const stores = await createRedisStores({ url: server.url, retentionMs: RETENTION, keyPrefix: 'whole' });
      return { stores, stop: () => server.stop() };
    },
  ],
])('the handoff package (%s store)', (_name, make) => {
  let stores: Stores;
  let stop: () => Promise<void>;
  beforeAll(async () => {
    ({ stores, stop } = await make());
  });
  afterAll(async () => {
    await stores.close();
    await stop();
  });

  it('holds all 200 turns of a conversation across two channels, in order, with intents', async () => {
    const { item } = await escalateAfter200Turns(stores, 'conv-a');
    const transcript = item.package.transcript;
    expectWholeConversation(transcript);
    expect(item.channels.sort()).toEqual(['rest', 'webchat']);
    expect(item.package.customer).toEqual({
      id: 'webchat:conv-a-cust',
      identities: [
        { channel: 'webchat', id: 'conv-a-cust' },
        { channel: 'rest', id: 'conv-a-cust' },
      ],
    });
    expect(transcript.filter((l) => l.channel === 'rest' && l.speaker === 'customer')).toHaveLength(100);
    expect(transcript[0]).toMatchObject({ intent: 'echo', confidence: 0.42 });
    expect(transcript.at(-3)).toMatchObject({ text: 'human', intent: 'human', confidence: 0.97 });

    // What the desk shows is the same conversation, plus whatever is said after the handoff.
    const cases = createCaseService({
      stores,
      delivery: setup(stores).runtime,
      clock: { now: () => 0 },
      logger: silentLogger,
    });
    await cases.claim(item.id, { username: 'sam', name: 'Sam' });
    const { transcript: live } = await cases.get(item.id);
    expect(live.slice(0, transcript.length)).toEqual(transcript);
    expect(live.slice(transcript.length).map((l) => l.event ?? l.text)).toEqual([
      'case.claimed',
      "You're now chatting with Sam.",
    ]);
  }, 60_000);

  it('gives a case to exactly one of many agents claiming it at once', async () => {
    const { item, runtime } = await escalateAfter200Turns(stores, 'conv-b');
    const cases = createCaseService({
      stores,
      delivery: runtime,
      clock: { now: () => 0 },
      logger: silentLogger,
    });
    const agents = Array.from({ length: 8 }, (_, i) => ({ username: `agent${i}`, name: `Agent ${i}` }));
    const outcomes = await Promise.allSettled(agents.map((agent) => cases.claim(item.id, agent)));
    const winners = outcomes.filter((o) => o.status === 'fulfilled');
    expect(winners).toHaveLength(1);
    expect(outcomes.filter((o) => o.status === 'rejected').map((o) => (o.reason as Error).name)).toEqual(
      Array(7).fill('CaseConflictError'),
    );
    const stored = await stores.cases.get(item.id);
    expect(stored?.owner).toBe((winners[0] as PromiseFulfilledResult<{ owner?: string }>).value.owner);
  }, 60_000);
});
