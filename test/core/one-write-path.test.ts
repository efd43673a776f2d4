import { createRuntime } from '../../app/runtime';
import type { ChannelName, Message } from '../../core/message';
import type { TurnContext } from '../../core/turn';
import { createCaseService } from '../../handoff/case-service';
import { createSatisfactionRelay } from '../../handoff/satisfaction-relay';
import { createMemoryStores } from '../../stores/memory';
import { silentLogger } from '../../stores/silent-logger';
import { kitDialog, kitNlu } from '../handoff/support/desk-kit';

const sam = { username: 'sam', name: 'Sam' };

function setup() {
  let now = 1_700_000_000_000;
  let seq = 0;
  const clock = { now: () => now };
  const stores = createMemoryStores({ retentionMs: 3_600_000, clock });
  const runtime = createRuntime({
    stores,
    nlu: kitNlu,
    dialog: kitDialog,
    redact: (text) => ({ text: text.replace(/4111 ?1111 ?1111 ?1111/g, '[card]'), redactions: [] }),
    logger: silentLogger,
    clock,
    ids: { next: () => `case-${++seq}` },
  });
  const cases = createCaseService({ stores, delivery: runtime, clock, logger: silentLogger });
  const send = (channel: ChannelName, userId: string, text: string): Promise<unknown> => {
    const message: Message = {
      channel,
      channelUserId: userId,
      conversationId: `${channel}:${userId}`,
      messageId: `m${++seq}`,
      kind: 'text',
      text,
      timestamp: (now += 1000),
    };
    return runtime.handle(message);
  };
  const openCaseId = async () => (await stores.cases.list())[0]?.id ?? '';
  return { stores, runtime, cases, send, openCaseId };
}

describe('one write path: every line goes through the stages', () => {
  it('shows a record hook the customer, the agent, the hand-back and the satisfaction answer', async () => {
    const { runtime, cases, send, openCaseId } = setup();
    const seen: Array<{ input: string; lines: string[] }> = [];
    runtime.pipeline.use('record', async (ctx: TurnContext, next) => {
      await next();
      const lines = ctx.entries.map((e) => `${e.speaker}/${e.channel}: ${e.text ?? e.event}`);
      seen.push({ input: ctx.input.type, lines });
    });
    await send('webchat', 'w1', 'human');
    const caseId = await openCaseId();
    await cases.claim(caseId, sam);
    await cases.message(caseId, sam, 'Hi, your card 4111 1111 1111 1111 is blocked');
    await cases.note(caseId, sam, 'called the bank');
    await cases.resolve(caseId, sam, { handBack: true });
    await send('webchat', 'w1', 'yes');

    expect(seen.map((s) => s.input)).toEqual([
      'message',
      'deliver',
      'deliver',
      'note',
      'handback',
      'message',
    ]);
    expect(seen[2]?.lines).toEqual(['agent/webchat: Hi, your card [card] is blocked']);
    expect(seen[3]?.lines).toEqual(['agent/webchat: called the bank']);
    expect(seen[4]?.lines).toEqual([
      'system/webchat: case.resolved',
      'bot/webchat: Sam has handed you back to me. Did we sort everything out for you?',
    ]);
    expect(seen[5]?.lines).toEqual([
      'customer/webchat: yes',
      'system/webchat: satisfaction',
      'bot/webchat: Thanks for your feedback!',
    ]);
  });

  it('lets a hook on an earlier stage see and replace out-of-turn work', async () => {
    const { runtime, stores, cases, send, openCaseId } = setup();
    runtime.pipeline.use('decide', async (ctx, next) => {
      const { input } = ctx;
      if (input.type === 'deliver' && typeof input.reply !== 'function' && input.reply.from === 'agent') {
        ctx.input = { ...input, reply: { ...input.reply, text: `[checked] ${input.reply.text}` } };
      }
      await next();
    });
    await send('webchat', 'w2', 'human');
    const caseId = await openCaseId();
    await cases.claim(caseId, sam);
    await cases.message(caseId, sam, 'Hello');
    const lines = await stores.transcripts.read('webchat:w2');
    expect(lines.at(-1)).toMatchObject({ speaker: 'agent', text: '[checked] Hello' });
  });

  it("relays the satisfaction answer to the desk from the record stage's hook", async () => {
    const { runtime, stores, cases, send, openCaseId } = setup();
    runtime.pipeline.use('record', createSatisfactionRelay(stores.bus));
    await send('rest', 'r1', 'human');
    const caseId = await openCaseId();
    const relayed: unknown[] = [];
    await stores.bus.subscribe(`case:${caseId}`, (payload) => relayed.push(payload));
    await cases.claim(caseId, sam);
    await cases.resolve(caseId, sam, { handBack: true });
    relayed.length = 0;
    await send('rest', 'r1', 'no');
    expect(JSON.stringify(relayed)).toContain('"event":"satisfaction"');
  });
});

describe('one customer across channels', () => {
  it('continues the same conversation, dialog state and open case from a linked address', async () => {
    const { stores, cases, send, openCaseId } = setup();
    await send('rest', 'alice', 'hello');
    await stores.identities.link({ channel: 'webchat', userId: 'session-9' }, 'rest:alice');
    // The web chat's own conversation id is only a hint: the linked customer's conversation wins.
    expect(await send('webchat', 'session-9', 'still me')).toEqual([{ from: 'bot', text: 'echo: still me' }]);
    expect((await stores.conversations.get('rest:alice'))?.dialog).toEqual({ turns: 2 });
    expect(await stores.conversations.get('webchat:session-9')).toBeUndefined();

    await send('webchat', 'session-9', 'human');
    const caseId = await openCaseId();
    const item = await stores.cases.get(caseId);
    expect(item?.conversationId).toBe('rest:alice');
    expect(item?.package.customer).toEqual({
      id: 'rest:alice',
      identities: [
        { channel: 'webchat', id: 'session-9' },
        { channel: 'rest', id: 'alice' },
      ],
    });
    expect(item?.package.transcript.filter((l) => l.speaker === 'customer').map((l) => l.channel)).toEqual([
      'rest',
      'webchat',
      'webchat',
    ]);

    // The open case follows the customer to the other channel.
    const toCase: unknown[] = [];
    await stores.bus.subscribe(`case:${caseId}`, (payload) => toCase.push(payload));
    await send('rest', 'alice', 'are you there?');
    expect(toCase).toEqual([{ type: 'customer.message', text: 'are you there?' }]);

    // The agent's reply goes where the customer wrote last: back on REST it waits for the next request.
    await cases.claim(caseId, sam);
    await cases.message(caseId, sam, 'Sam here');
    expect(await send('rest', 'alice', 'ok')).toEqual([
      { from: 'system', text: "You're now chatting with Sam." },
      { from: 'agent', text: 'Sam here', agentName: 'Sam' },
    ]);
    expect(new Set((await stores.transcripts.read('rest:alice')).map((l) => l.channel))).toEqual(
      new Set(['rest', 'webchat']),
    );
  });

  it("pushes out-of-turn replies to the live session of the customer's latest address", async () => {
    const { runtime, stores, cases, send, openCaseId } = setup();
    await send('rest', 'bob', 'human');
    await stores.identities.link({ channel: 'webchat', userId: 's2' }, 'rest:bob');
    await send('webchat', 's2', 'I moved to the web chat');
    const pushed: string[] = [];
    await runtime.onPush('webchat:s2', (reply) => pushed.push(reply.text));
    const caseId = await openCaseId();
    await cases.claim(caseId, sam);
    await cases.message(caseId, sam, 'Hi Bob');
    expect(pushed).toEqual(["You're now chatting with Sam.", 'Hi Bob']);
    expect((await stores.conversations.get('rest:bob'))?.pending).toBeUndefined();
  });

  it('keeps unlinked customers apart, as before', async () => {
    const { stores, send } = setup();
    await send('rest', 'carol', 'hello');
    await send('webchat', 'carol', 'hello');
    expect((await stores.conversations.get('rest:carol'))?.dialog).toEqual({ turns: 1 });
    expect((await stores.conversations.get('webchat:carol'))?.dialog).toEqual({ turns: 1 });
  });
});
