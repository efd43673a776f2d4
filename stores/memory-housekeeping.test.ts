import type { ConversationState, Stores } from '../core/ports';
import { FakeClock } from '../test/support/fake-clock';
import { MemoryTranscriptStore } from '../transcripts/memory.transcript-store';
import { ExpiringMap } from './expiring-map';
import { createMemoryStores } from './memory';
import { MemoryHousekeeper, type Scheduler } from './memory-housekeeping';

/** Time moves only when the test says so: `tick()` runs what a real timer would have run by then. */
class ManualScheduler implements Scheduler {
  readonly tasks: Array<{ ms: number; task: () => void; stopped: boolean }> = [];

  every(ms: number, task: () => void): () => void {
    const entry = { ms, task, stopped: false };
    this.tasks.push(entry);
    return () => (entry.stopped = true);
  }

  tick(): void {
    for (const entry of this.tasks) if (!entry.stopped) entry.task();
  }
}

const retentionMs = 60_000;
const state = (id: string, now: number): ConversationState => ({
  conversationId: id,
  customerId: `cust-${id}`,
  updatedAt: now,
});

describe('memory housekeeping: expiry on a timer', () => {
  it('drops expired entries while nothing is written, on the timer it registered', () => {
    const clock = new FakeClock();
    const scheduler = new ManualScheduler();
    const states = new ExpiringMap<ConversationState>(retentionMs, clock);
    const transcripts = new MemoryTranscriptStore(retentionMs, clock);
    const keeper = new MemoryHousekeeper(
      { states, sweepables: [states, transcripts], busy: () => false, evict: () => undefined },
      { maxConversations: 10, sweepEveryMs: 5_000, scheduler },
    );
    states.set('a', state('a', clock.now()));
    transcripts.appendNow('a', [{ at: clock.now(), speaker: 'customer', channel: 'rest', text: 'hi' }]);
    clock.advance(retentionMs - 1);
    scheduler.tick();
    expect(states.size).toBe(1);
    clock.advance(1);
    scheduler.tick();
    expect(states.size).toBe(0);
    expect(transcripts.size).toBe(0);
    expect(scheduler.tasks.map((t) => t.ms)).toEqual([5_000]);
    keeper.stop();
    expect(scheduler.tasks[0]?.stopped).toBe(true);
  });

  it('registers its sweep through the stores and stops it when they close', async () => {
    const scheduler = new ManualScheduler();
    const stores = createMemoryStores({ retentionMs, clock: new FakeClock(), scheduler, sweepEveryMs: 1234 });
    expect(scheduler.tasks.map((t) => t.ms)).toEqual([1234]);
    await stores.close();
    expect(scheduler.tasks[0]?.stopped).toBe(true);
  });
});

describe('memory housekeeping: the cap on conversations', () => {
  let stores: Stores;
  const clock = new FakeClock();

  afterEach(async () => stores?.close());

  const commitTurn = (id: string, messageId: string) =>
    stores.commits.commit({
      conversationId: id,
      state: state(id, clock.now()),
      entries: [{ at: clock.now(), speaker: 'customer', channel: 'rest', text: messageId }],
      processed: { messageId, replies: [{ from: 'bot', text: `re ${messageId}` }] },
    });

  it('evicts the least recently active conversations, with their lines and dedupe records', async () => {
    stores = createMemoryStores({
      retentionMs,
      clock,
      maxConversations: 3,
      scheduler: new ManualScheduler(),
    });
    for (const id of ['a', 'b', 'c']) {
      await commitTurn(id, `${id}1`);
      clock.advance(1);
    }
    await commitTurn('a', 'a2'); // a is now the most recently active
    await commitTurn('d', 'd1'); // one too many: b goes
    expect(await stores.conversations.get('b')).toBeUndefined();
    expect(await stores.transcripts.count('b')).toBe(0);
    expect(await stores.processed.get('b', 'b1')).toBeUndefined();
    for (const id of ['a', 'c', 'd']) expect(await stores.conversations.get(id)).toBeDefined();
    expect(await stores.transcripts.count('a')).toBe(2);
    expect(await stores.processed.get('a', 'a1')).toEqual([{ from: 'bot', text: 're a1' }]);
  });

  it('never evicts a conversation with a turn running', async () => {
    stores = createMemoryStores({
      retentionMs,
      clock,
      maxConversations: 2,
      scheduler: new ManualScheduler(),
    });
    await commitTurn('old', 'o1');
    await commitTurn('mid', 'm1');
    let release: () => void = () => undefined;
    const running = stores.turns.run('old', () => new Promise<void>((resolve) => (release = resolve)));
    await commitTurn('new', 'n1');
    expect(await stores.conversations.get('old')).toBeDefined();
    expect(await stores.conversations.get('mid')).toBeUndefined();
    release();
    await running;
  });

  it('refuses a cap below one', () => {
    expect(() => createMemoryStores({ retentionMs, maxConversations: 0 })).toThrow(RangeError);
  });
});
