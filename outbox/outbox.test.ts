import type { Reply } from '../core/message';
import type { ChannelAddress, Logger } from '../core/ports';
import { createMemoryStores } from '../stores/memory';
import { silentLogger } from '../stores/silent-logger';
import { createOutbox } from './outbox';
import { parsePushed, pushTopic } from './pushed-reply';

const first: Reply = { from: 'agent', agentName: 'Sam', text: 'first' };
const second: Reply = { from: 'agent', agentName: 'Sam', text: 'second' };

function setup() {
  const stores = createMemoryStores({ retentionMs: 60_000 });
  const warnings: string[] = [];
  const logger: Logger = {
    ...silentLogger,
    warn: (_f, message) => warnings.push(message ?? ''),
    child: () => logger,
  };
  // Two outboxes on one bus: two server processes.
  const here = createOutbox({ bus: stores.bus, logger });
  const there = createOutbox({ bus: stores.bus, logger });
  const target = (channel: string, userId = 'u1') => ({
    conversationId: `conv-${userId}`,
    address: { channel, userId },
    session: `${channel}:${userId}`,
  });
  return { stores, here, there, target, warnings };
}

describe('outbox routing', () => {
  it("pushes to a live session held by another process, on the session's topic only", async () => {
    const { here, there, target } = setup();
    const received: string[] = [];
    const elsewhere: string[] = [];
    await there.listen('webchat:u1', (reply) => received.push(reply.text));
    await there.listen('webchat:u2', (reply) => elsewhere.push(reply.text));
    expect(await here.send(target('webchat'), [first, second])).toEqual([]);
    expect(received).toEqual(['first', 'second']);
    expect(elsewhere).toEqual([]);
  });

  it('holds replies for a channel without a live session or sender (REST by default)', async () => {
    const { here, there, target } = setup();
    const received: Reply[] = [];
    await there.listen('rest:u1', (reply) => received.push(reply));
    expect(await here.send(target('rest'), [first, second])).toEqual([first, second]);
    expect(received).toEqual([]);
  });

  it('hands replies to a registered proactive sender and holds what it could not deliver', async () => {
    const { here, target } = setup();
    const calls: Array<{ address: ChannelAddress; texts: string[] }> = [];
    here.register('sms', async ({ address }, replies) => {
      calls.push({ address, texts: replies.map((r) => r.text) });
      return 1;
    });
    expect(await here.send(target('sms', '+4477'), [first, second])).toEqual([second]);
    expect(calls).toEqual([{ address: { channel: 'sms', userId: '+4477' }, texts: ['first', 'second'] }]);
  });

  it('holds everything when a sender throws or answers nonsense, and logs it', async () => {
    const { here, target, warnings } = setup();
    const unplug = here.register('rest', async () => {
      throw new Error('callback down');
    });
    expect(await here.send(target('rest'), [first])).toEqual([first]);
    expect(warnings).toEqual(['proactive delivery failed']);
    unplug();
    here.register('rest', async () => 99.5);
    expect(await here.send(target('rest'), [first])).toEqual([first]);
  });

  it('stops using a sender once unplugged', async () => {
    const { here, there, target } = setup();
    let calls = 0;
    const unplug = here.register('webchat', async (_address, replies) => (calls += 1) && replies.length);
    expect(await here.send(target('webchat'), [first])).toEqual([]);
    unplug();
    const live: string[] = [];
    await there.listen('webchat:u1', (reply) => live.push(reply.text));
    await here.send(target('webchat'), [second]);
    expect([calls, live]).toEqual([1, ['second']]);
  });

  it('carries every field of a reply across processes, and drops malformed payloads', async () => {
    const { stores, here, there, warnings } = setup();
    const rich: Reply = {
      from: 'bot',
      text: 'Your order',
      speech: '<speak>Your order</speak>',
      short: 'Order',
      buttons: [{ title: 'Track', payload: '/track' }],
      cards: [
        { title: 'A1001', text: 'Shipped', imageUrl: 'https://x/i.png', url: 'https://x', buttons: [] },
      ],
      media: [{ url: 'https://x/a.mp3', contentType: 'audio/mpeg', altText: 'a chime' }],
      endSession: true,
      expectInput: false,
    };
    const received: Reply[] = [];
    await there.listen('s', (reply) => received.push(reply));
    await here.push('s', rich);
    await stores.bus.publish(pushTopic('s'), { text: 42 });
    expect(received).toEqual([rich]);
    expect(warnings).toEqual(['ignored a malformed pushed reply']);
    expect(parsePushed({ from: 'customer', text: 'x' })).toBeUndefined();
  });
});
