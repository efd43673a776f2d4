import { createRuntime } from '../../app/runtime';
import type { Stores } from '../../core/ports';
import { countingDialog, echoNlu, textMessage } from '../../test/support/crash-kit';
import { startRedisServer, type RedisServer } from '../../test/support/redis-server';
import { countRedisTraffic, type RedisTrafficCounter } from '../../test/support/redis-traffic';
import { silentLogger } from '../silent-logger';
import { createRedisStores } from '.';

// Round trips are counted in this process: socket writes to the Redis port that follow a reply from it
// (see test/support/redis-traffic.ts). With one turn at a time, that is exactly the turn's round trips.
const retentionMs = 60_000;
let server: RedisServer;
let stores: Stores;
let counter: RedisTrafficCounter;

beforeAll(async () => {
  server = await startRedisServer();
  stores = await createRedisStores({ url: server.url, retentionMs, keyPrefix: 'trips' });
  counter = countRedisTraffic(server.port);
});

afterAll(async () => {
  counter?.stop();
  await stores?.close();
  await server?.stop();
});

const runtime = () =>
  createRuntime({
    stores,
    nlu: echoNlu,
    dialog: countingDialog(),
    redact: (text) => ({ text, redactions: [] }),
    logger: silentLogger,
  });

/** Handles one message alone and returns its replies and the round trips it took. */
async function measured(handle: () => Promise<unknown>): Promise<{ replies: unknown; roundTrips: number }> {
  counter.reset();
  const replies = await handle();
  return { replies, roundTrips: counter.read().roundTrips };
}

describe('Redis round trips per turn (single node)', () => {
  it('takes at most two for an ordinary turn, the first of a conversation included', async () => {
    const bot = runtime();
    const trips: number[] = [];
    for (const [i, text] of ['hello', 'where is my order', 'A1001', 'thanks'].entries()) {
      const turn = await measured(() => bot.handle(textMessage('c-ordinary', `m${i}`, text)));
      expect(turn.replies).toEqual([{ from: 'bot', text: `${text} (step ${i + 1})` }]);
      trips.push(turn.roundTrips);
    }
    expect(trips.every((n) => n >= 1 && n <= 2)).toBe(true);
    // What the turns wrote, read back the ordinary way.
    expect((await stores.conversations.get('c-ordinary'))?.dialog).toBe(4);
    expect(await stores.transcripts.count('c-ordinary')).toBe(8);
  });

  it('answers a retried message from its record in two, without stepping the dialog again', async () => {
    const bot = runtime();
    await bot.handle(textMessage('c-retry', 'm1', 'hello'));
    const retry = await measured(() => bot.handle(textMessage('c-retry', 'm1', 'hello')));
    expect(retry.replies).toEqual([{ from: 'bot', text: 'hello (step 1)' }]);
    expect(retry.roundTrips).toBeLessThanOrEqual(2);
    expect((await stores.conversations.get('c-retry'))?.dialog).toBe(1);
  });

  it('follows an address linked to another customer, and takes two again once it knows', async () => {
    const bot = runtime();
    await bot.handle(textMessage('c-owner', 'm1', 'hello'));
    await stores.identities.link({ channel: 'rest', userId: 'c-linked' }, 'rest:c-owner');
    const first = await measured(() => bot.handle(textMessage('c-linked', 'l1', 'again')));
    // The linked address speaks in the owner's conversation.
    expect(first.replies).toEqual([{ from: 'bot', text: 'again (step 2)' }]);
    const next = await measured(() => bot.handle(textMessage('c-linked', 'l2', 'more')));
    expect(next.replies).toEqual([{ from: 'bot', text: 'more (step 3)' }]);
    expect(next.roundTrips).toBeLessThanOrEqual(2);
    expect((await stores.conversations.get('c-owner'))?.dialog).toBe(3);
  });

  it('never answers a read in the turn with a state this process wrote over meanwhile', async () => {
    await runtime().handle(textMessage('c-written', 'm1', 'hello'));
    const seen = await stores.turns.runFor!(
      { channel: 'rest', userId: 'c-written' },
      { customerId: 'rest:c-written', conversationId: 'c-written' },
      async (who) => {
        // Written before the turn's first read: the state its first script loaded is stale now.
        await stores.conversations.put({
          conversationId: who.conversationId,
          customerId: who.customerId,
          updatedAt: 2,
          dialog: 99,
        });
        return stores.conversations.get(who.conversationId);
      },
    );
    expect(seen?.dialog).toBe(99);
  });
});
