import type { Case, CaseStatus } from '../../core/case';
import type { JsonValue } from '../../core/json';
import { CaseNotFoundError, type Stores } from '../../core/ports';
import type { TranscriptEntry } from '../../core/transcript';
import type { FakeClock } from '../support/fake-clock';
import { describeSharedBackend } from './shared-backend.contract';
import { describeSignInGuards } from './sign-in.contract';
import { describeCrashRecovery, describeTurnCommits } from './turn-commit.contract';

/** What a backend hands the contract suite. */
export interface StoresFixture {
  stores: Stores;
  retentionMs: number;
  /** For backends that expire entries on the injected clock. */
  clock?: FakeClock;
  /** Opens another Stores on the same backend, as a second server process would. */
  openPeer?: (options?: { lockLeaseMs?: number }) => Promise<Stores>;
  /** Every key the backend holds, with its remaining time to live in ms (negative when none). */
  keyTtls?: () => Promise<Array<{ key: string; ttlMs: number }>>;
  cleanup(): Promise<void>;
}

/** Which parts of the contract a backend can be held to. */
export interface StoresFeatures {
  /** Expiry is observable by advancing `fixture.clock`. */
  fakeClock?: boolean;
  /** Several Stores instances share the backend (`openPeer`), with keys listable (`keyTtls`). */
  shared?: boolean;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

async function eventually(check: () => boolean | Promise<boolean>, timeoutMs = 3000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await sleep(5);
  }
}

let sequence = 0;
const uniqueId = (prefix: string) => `${prefix}-${Date.now().toString(36)}-${(sequence += 1)}`;

function makeCase(overrides: Partial<Case> = {}): Case {
  return {
    id: uniqueId('case'),
    conversationId: uniqueId('conv'),
    customerId: 'cust-1',
    channels: ['webchat'],
    queue: 'billing',
    priority: 0,
    status: 'queued',
    createdAt: 1000,
    updatedAt: 1000,
    package: {
      version: 1,
      reason: 'customer_request',
      summary: { slots: { orderId: 'A1001' }, tried: ['asked for order status'] },
      customer: { id: 'cust-1', identities: [{ channel: 'webchat', id: 'w-1' }] },
      transcript: [{ at: 1, speaker: 'customer', channel: 'webchat', text: 'agent please' }],
    },
    ...overrides,
  };
}

function entry(i: number): TranscriptEntry {
  return { at: 1000 + i, speaker: i % 2 ? 'bot' : 'customer', channel: 'webchat', text: `line ${i}` };
}

/** Refuses to claim a case that someone already owns, as the agent desk does. */
function claim(agent: string) {
  return (current: Case): Case => {
    if (current.status !== 'queued') throw new Error(`already ${current.status}`);
    return { ...current, status: 'assigned', owner: agent, updatedAt: current.updatedAt + 1 };
  };
}

/**
 * The behaviour every `Stores` implementation promises, run against each backend.
 *
 * @example
 * describeStores('memory', async () => ({ stores: createMemoryStores({ retentionMs }), retentionMs, cleanup }));
 */
export function describeStores(
  name: string,
  makeStores: () => Promise<StoresFixture>,
  features: StoresFeatures = {},
): void {
  describe(`Stores contract: ${name}`, () => {
    let fixture: StoresFixture;
    let stores: Stores;

    beforeEach(async () => {
      fixture = await makeStores();
      stores = fixture.stores;
    });

    afterEach(async () => {
      await fixture.cleanup();
    });

    describeConversationsAndReplays(() => stores);
    describeTranscripts(() => stores);
    describeCases(() => stores);
    describeTurns(() => stores);
    describeTurnCommits(() => stores);
    describeBus(() => stores);
    describeKeyValues(() => stores);
    describeSignInGuards(() => fixture, { shared: Boolean(features.shared) });
    if (features.fakeClock) describeClockExpiry(() => fixture);
    if (features.shared) describeSharedBackend(() => fixture);
    if (features.shared) describe('crash recovery', () => describeCrashRecovery(() => fixture));
  });
}

function describeConversationsAndReplays(get: () => Stores): void {
  it('stores, replaces and deletes conversation state', async () => {
    const { conversations } = get();
    const id = uniqueId('conv');
    expect(await conversations.get(id)).toBeUndefined();
    await conversations.put({
      conversationId: id,
      customerId: 'c1',
      updatedAt: 1,
      dialog: { value: 'start' },
    });
    await conversations.put({ conversationId: id, customerId: 'c1', updatedAt: 2, dialog: { value: 'ask' } });
    const state = await conversations.get(id);
    expect(state).toEqual({ conversationId: id, customerId: 'c1', updatedAt: 2, dialog: { value: 'ask' } });
    state!.customerId = 'mutated by caller';
    expect((await conversations.get(id))?.customerId).toBe('c1');
    await conversations.delete(id);
    expect(await conversations.get(id)).toBeUndefined();
  });

  it('answers a replayed message from the record, per conversation', async () => {
    const { processed } = get();
    const [a, b] = [uniqueId('conv'), uniqueId('conv')];
    expect(await processed.get(a, 'm1')).toBeUndefined();
    await processed.put(a, 'm1', [{ text: 'Your order shipped.', from: 'bot' }]);
    expect(await processed.get(a, 'm1')).toEqual([{ text: 'Your order shipped.', from: 'bot' }]);
    expect(await processed.get(b, 'm1')).toBeUndefined();
    expect(await processed.get(a, 'm2')).toBeUndefined();
  });
}

function describeTranscripts(get: () => Stores): void {
  it('appends in order and pages through 250 entries', async () => {
    const { transcripts } = get();
    const id = uniqueId('conv');
    for (let batch = 0; batch < 25; batch += 1) {
      await transcripts.append(
        id,
        Array.from({ length: 10 }, (_, i) => entry(batch * 10 + i)),
      );
    }
    expect(await transcripts.count(id)).toBe(250);
    const all = await transcripts.read(id);
    expect(all.map((e) => e.text)).toEqual(Array.from({ length: 250 }, (_, i) => `line ${i}`));
    expect(all[3]).toEqual(entry(3));
    const page = await transcripts.read(id, { offset: 100, limit: 50 });
    expect(page.map((e) => e.text)).toEqual(Array.from({ length: 50 }, (_, i) => `line ${100 + i}`));
    expect((await transcripts.read(id, { offset: 240, limit: 50 })).length).toBe(10);
    expect(await transcripts.read(id, { offset: 250 })).toEqual([]);
    expect(await transcripts.read(id, { limit: 0 })).toEqual([]);
    await expect(transcripts.read(id, { offset: -1 })).rejects.toThrow(RangeError);
  });

  it('keeps concurrent appends whole and conversations apart', async () => {
    const { transcripts } = get();
    const [a, b] = [uniqueId('conv'), uniqueId('conv')];
    await Promise.all([transcripts.append(a, [entry(0), entry(1)]), transcripts.append(b, [entry(7)])]);
    expect(await transcripts.count(a)).toBe(2);
    expect(await transcripts.read(b)).toEqual([entry(7)]);
    expect(await transcripts.count(uniqueId('conv'))).toBe(0);
    expect(await transcripts.read(uniqueId('conv'))).toEqual([]);
  });
}

function describeCases(get: () => Stores): void {
  it('creates, gets and lists cases by status, oldest first', async () => {
    const { cases } = get();
    const older = makeCase({ createdAt: 10 });
    const newer = makeCase({ createdAt: 20 });
    const done = makeCase({ createdAt: 5, status: 'resolved' });
    await cases.create(newer);
    await cases.create(older);
    await cases.create(done);
    await expect(cases.create(older)).rejects.toThrow(/exists/);
    expect(await cases.get(older.id)).toEqual(older);
    expect(await cases.get(uniqueId('case'))).toBeUndefined();
    const ids = (list: Case[]) => list.map((c) => c.id);
    expect(ids(await cases.list({ status: 'queued' }))).toEqual([older.id, newer.id]);
    expect(ids(await cases.list({ status: 'resolved' }))).toEqual([done.id]);
    expect(ids(await cases.list())).toEqual([done.id, older.id, newer.id]);
  });

  it('moves a case between status lists on update', async () => {
    const { cases } = get();
    const item = makeCase();
    await cases.create(item);
    const claimed = await cases.update(item.id, claim('agent-7'));
    expect(claimed).toMatchObject({ status: 'assigned', owner: 'agent-7' });
    expect(await cases.get(item.id)).toEqual(claimed);
    const statusOf = async (status: CaseStatus) => (await cases.list({ status })).map((c) => c.id);
    expect(await statusOf('queued')).not.toContain(item.id);
    expect(await statusOf('assigned')).toEqual([item.id]);
  });

  it('writes nothing when the change refuses, and rejects unknown ids', async () => {
    const { cases } = get();
    const item = makeCase({ status: 'assigned', owner: 'agent-1' });
    await cases.create(item);
    await expect(cases.update(item.id, claim('agent-2'))).rejects.toThrow('already assigned');
    expect(await cases.get(item.id)).toEqual(item);
    await expect(cases.update('no-such-case', claim('agent-2'))).rejects.toBeInstanceOf(CaseNotFoundError);
  });

  it('lets exactly one of two simultaneous claims win', async () => {
    const { cases } = get();
    const item = makeCase();
    await cases.create(item);
    const results = await Promise.allSettled([
      cases.update(item.id, claim('agent-a')),
      cases.update(item.id, claim('agent-b')),
    ]);
    const won = results.filter((r) => r.status === 'fulfilled');
    expect(won).toHaveLength(1);
    const owner = (won[0] as PromiseFulfilledResult<Case>).value.owner;
    expect((await cases.get(item.id))?.owner).toBe(owner);
  });

  it('applies every one of many concurrent updates', async () => {
    const { cases } = get();
    const item = makeCase();
    await cases.create(item);
    const bump = (c: Case): Case => ({ ...c, priority: c.priority + 1 });
    await Promise.all(Array.from({ length: 20 }, () => get().cases.update(item.id, bump)));
    expect((await cases.get(item.id))?.priority).toBe(20);
  });
}

/** Runs `count` turns for one conversation and records when each starts and ends. */
async function recordTurns(
  run: (i: number, work: () => Promise<number>) => Promise<number>,
  count: number,
): Promise<{ events: string[]; results: number[] }> {
  const events: string[] = [];
  const results = await Promise.all(
    Array.from({ length: count }, (_, i) =>
      run(i, async () => {
        events.push(`start ${i}`);
        await sleep(i % 3);
        events.push(`end ${i}`);
        return i;
      }),
    ),
  );
  return { events, results };
}

const serialEvents = (order: number[]) => order.flatMap((i) => [`start ${i}`, `end ${i}`]);

function describeTurns(get: () => Stores): void {
  it('runs 50 concurrent turns of one conversation one at a time, in call order', async () => {
    const id = uniqueId('conv');
    const { events, results } = await recordTurns((_, work) => get().turns.run(id, work), 50);
    const order = Array.from({ length: 50 }, (_, i) => i);
    expect(events).toEqual(serialEvents(order));
    expect(results).toEqual(order);
  });

  it('keeps going after a failed turn', async () => {
    const id = uniqueId('conv');
    const { turns } = get();
    const failed = turns.run(id, async () => {
      throw new Error('flow broke');
    });
    const next = turns.run(id, async () => 'answered');
    await expect(failed).rejects.toThrow('flow broke');
    await expect(next).resolves.toBe('answered');
  });

  it('runs different conversations in parallel', async () => {
    const { turns } = get();
    let releaseA!: () => void;
    const aWaits = new Promise<void>((resolve) => (releaseA = resolve));
    const a = turns.run(uniqueId('conv'), async () => {
      await aWaits;
      return 'a';
    });
    // If turns of different conversations were serialised, b would wait for a, which waits for b.
    const b = turns.run(uniqueId('conv'), async () => {
      releaseA();
      return 'b';
    });
    await expect(Promise.all([a, b])).resolves.toEqual(['a', 'b']);
  });
}

function describeKeyValues(get: () => Stores): void {
  it('keeps small JSON values by key, copied, until deleted', async () => {
    const { keyValue } = get();
    const key = uniqueId('twilio:options');
    expect(await keyValue.get(key)).toBeUndefined();
    const value = { options: [{ title: 'Track my order', payload: '/order_status' }], n: 2 };
    await keyValue.set(key, value);
    value.n = 3;
    expect(await keyValue.get(key)).toEqual({
      options: [{ title: 'Track my order', payload: '/order_status' }],
      n: 2,
    });
    await keyValue.set(key, true);
    expect(await keyValue.get(key)).toBe(true);
    await keyValue.delete(key);
    expect(await keyValue.get(key)).toBeUndefined();
  });
}

function describeBus(get: () => Stores): void {
  it('delivers to every subscriber of a topic until it unsubscribes', async () => {
    const { bus } = get();
    const topic = uniqueId('topic');
    const first: JsonValue[] = [];
    const second: JsonValue[] = [];
    const stopFirst = await bus.subscribe(topic, (p) => first.push(p));
    const stopSecond = await bus.subscribe(topic, (p) => second.push(p));
    await bus.publish(topic, { caseId: 'c1', text: 'hello' });
    await bus.publish(uniqueId('other-topic'), 'not for us');
    await eventually(() => first.length === 1 && second.length === 1);
    expect(first).toEqual([{ caseId: 'c1', text: 'hello' }]);
    await stopFirst();
    await bus.publish(topic, 2);
    await eventually(() => second.length === 2);
    expect(first).toHaveLength(1);
    await stopSecond();
  });
}

function describeClockExpiry(get: () => StoresFixture): void {
  it('forgets everything retentionMs after its last write', async () => {
    const { stores, clock, retentionMs } = get();
    const id = uniqueId('conv');
    const item = makeCase({ conversationId: id });
    await stores.conversations.put({ conversationId: id, customerId: 'c1', updatedAt: 1 });
    await stores.processed.put(id, 'm1', [{ text: 'hi', from: 'bot' }]);
    await stores.transcripts.append(id, [entry(1)]);
    await stores.cases.create(item);
    clock!.advance(retentionMs - 1);
    expect(await stores.conversations.get(id)).toBeDefined();
    await stores.transcripts.append(id, [entry(2)]);
    clock!.advance(2);
    expect(await stores.conversations.get(id)).toBeUndefined();
    expect(await stores.processed.get(id, 'm1')).toBeUndefined();
    expect(await stores.cases.get(item.id)).toBeUndefined();
    expect(await stores.cases.list({ status: 'queued' })).toEqual([]);
    // The append refreshed the transcript's retention.
    expect(await stores.transcripts.count(id)).toBe(2);
    clock!.advance(retentionMs);
    expect(await stores.transcripts.count(id)).toBe(0);
  });
}
