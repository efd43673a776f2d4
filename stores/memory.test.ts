import { describeCustomerData } from '../test/contracts/customer-data.contract';
import { describeIdentities } from '../test/contracts/identities.contract';
import { describeStores, type StoresFixture } from '../test/contracts/stores.contract';
import { FakeClock } from '../test/support/fake-clock';
import { LocalTurnQueue } from './local-turn-queue';
import { createMemoryStores } from './memory';

const retentionMs = 60_000;

async function memoryFixture(): Promise<StoresFixture> {
  const clock = new FakeClock();
  const stores = createMemoryStores({ retentionMs, clock, sequenceWaitMs: 300 });
  return { stores, clock, retentionMs, cleanup: () => stores.close() };
}

describeStores('memory', memoryFixture, { fakeClock: true });
describeIdentities('memory', memoryFixture, { fakeClock: true });
describeCustomerData('memory', memoryFixture);

describe('LocalTurnQueue', () => {
  it('forgets a conversation once its last turn settles', async () => {
    const queue = new LocalTurnQueue();
    const turns = [
      queue.run('a', async () => 1),
      queue.run('a', async () => {
        throw new Error('x');
      }),
      queue.run('b', async () => 3),
    ];
    expect(queue.activeConversations).toBe(2);
    await Promise.allSettled(turns);
    await new Promise((resolve) => setImmediate(resolve));
    expect(queue.activeConversations).toBe(0);
  });
});

describe('createMemoryStores', () => {
  it('rejects a retention that is not positive', () => {
    expect(() => createMemoryStores({ retentionMs: 0 })).toThrow(RangeError);
  });

  it('does not let a failing bus subscriber stop delivery to the others', async () => {
    const errors: object[] = [];
    const logger = {
      debug: () => undefined,
      info: () => undefined,
      warn: () => undefined,
      error: (fields: object) => errors.push(fields),
      child: () => logger,
    };
    const stores = createMemoryStores({ retentionMs, logger });
    const received: unknown[] = [];
    await stores.bus.subscribe('t', () => {
      throw new Error('handler bug');
    });
    await stores.bus.subscribe('t', (payload) => received.push(payload));
    await stores.bus.publish('t', 'hello');
    expect(received).toEqual(['hello']);
    expect(errors).toHaveLength(1);
    await stores.close();
  });
});
