import type { Case } from '../../core/case';
import type { JsonValue } from '../../core/json';
import type { Stores } from '../../core/ports';
import type { StoresFixture } from './stores.contract';

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
let sequence = 0;
const uniqueId = (prefix: string) => `${prefix}-shared-${Date.now().toString(36)}-${(sequence += 1)}`;

function queuedCase(id: string, conversationId: string): Case {
  return {
    id,
    conversationId,
    customerId: 'cust-1',
    channels: ['webchat'],
    queue: 'billing',
    priority: 1,
    status: 'queued',
    createdAt: 1,
    updatedAt: 1,
    package: {
      version: 1,
      reason: 'complaint',
      summary: { slots: {}, tried: [] },
      customer: { id: 'cust-1', identities: [] },
      transcript: [],
    },
  };
}

/** A turn that holds the conversation until the test opens its gate. */
function gate(): { open: () => void; opened: Promise<void> } {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { open, opened };
}

/** The part of the contract only a backend shared by several processes can be held to. */
export function describeSharedBackend(get: () => StoresFixture): void {
  let peers: Stores[];
  const peer = async (options?: { lockLeaseMs?: number }) => {
    const opened = await get().openPeer!(options);
    peers.push(opened);
    return opened;
  };

  beforeEach(() => {
    peers = [];
  });

  afterEach(async () => {
    await Promise.all(peers.map((p) => p.close()));
  });

  it('puts a TTL within retention on every key it writes', async () => {
    const { stores, retentionMs, keyTtls } = get();
    const id = uniqueId('conv');
    await stores.conversations.put({ conversationId: id, customerId: 'c1', updatedAt: 1 });
    await stores.processed.put(id, 'm1', [{ text: 'hi', from: 'bot' }]);
    await stores.transcripts.append(id, [{ at: 1, speaker: 'customer', channel: 'webchat', text: 'hi' }]);
    await stores.turns.run(id, async () => undefined);
    await stores.cases.create(queuedCase(uniqueId('case'), id));
    const [item] = await stores.cases.list({ status: 'queued' });
    await stores.cases.update(item!.id, (c) => ({ ...c, status: 'assigned', owner: 'a1' }));
    await stores.bus.publish('t', 1);
    await stores.keyValue.set(`opt-out:${id}`, { at: 1 });
    const keys = await keyTtls!();
    const kinds = [
      'state',
      'seen',
      'transcript',
      'turn:next',
      'turn:serving',
      '{case:',
      'status:assigned',
      '{kv:',
    ];
    for (const kind of kinds) expect(keys.some((k) => k.key.includes(kind))).toBe(true);
    for (const { key, ttlMs } of keys) {
      expect({ key, ok: ttlMs > 0 && ttlMs <= retentionMs }).toEqual({ key, ok: true });
    }
  });

  it('serialises turns of one conversation across two instances, in arrival order', async () => {
    const { stores } = get();
    const other = await peer();
    const id = uniqueId('conv');
    const events: string[] = [];
    const first = gate();
    const runs: Promise<void>[] = [
      stores.turns.run(id, () => first.opened.then(() => void events.push('start 0', 'end 0'))),
    ];
    for (let i = 1; i <= 10; i += 1) {
      // Lets the previous arrival reach Redis before this one, which comes from the other connection.
      await sleep(10);
      const instance = i % 2 ? other : stores;
      runs.push(
        instance.turns.run(id, async () => {
          events.push(`start ${i}`);
          await sleep(3);
          events.push(`end ${i}`);
        }),
      );
    }
    first.open();
    await Promise.all(runs);
    expect(events).toEqual(Array.from({ length: 11 }, (_, i) => [`start ${i}`, `end ${i}`]).flat());
  });

  it('never overtakes a live holder, even past its lease', async () => {
    const { stores } = get();
    const other = await peer({ lockLeaseMs: 150 });
    const id = uniqueId('conv');
    const events: string[] = [];
    const long = other.turns.run(id, async () => {
      events.push('long start');
      await sleep(500);
      events.push('long end');
    });
    await sleep(20);
    await stores.turns.run(id, async () => void events.push('next'));
    await long;
    expect(events).toEqual(['long start', 'long end', 'next']);
  });

  it('moves past a holder that died mid-turn and a ticket taken but never started', async () => {
    const { stores } = get();
    const leaseMs = 200;
    const [dying, waiting] = [await peer({ lockLeaseMs: leaseMs }), await peer({ lockLeaseMs: leaseMs })];
    const id = uniqueId('conv');
    const started: string[] = [];
    void dying.turns.run(id, () => {
      started.push('dying');
      return new Promise<void>(() => undefined); // never finishes
    });
    await sleep(20);
    const abandoned = waiting.turns.run(id, async () => void started.push('abandoned'));
    await sleep(20);
    const next = stores.turns.run(id, async () => void started.push('next'));
    await sleep(leaseMs * 2); // the dying holder is still alive here and renewing its lease
    expect(started).toEqual(['dying']);
    const diedAt = Date.now();
    await Promise.all([dying.close(), waiting.close()]);
    await expect(abandoned).rejects.toThrow('stores closed');
    await next;
    expect(started).toEqual(['dying', 'next']);
    expect(Date.now() - diedAt).toBeLessThan(leaseMs * 2 + 1500);
  });

  it('lets exactly one of two instances claim a case', async () => {
    const { stores } = get();
    const other = await peer();
    const item = queuedCase(uniqueId('case'), uniqueId('conv'));
    await stores.cases.create(item);
    const claim = (agent: string) => (c: Case) => {
      if (c.status !== 'queued') throw new Error('already claimed');
      return { ...c, status: 'assigned' as const, owner: agent };
    };
    const results = await Promise.allSettled([
      stores.cases.update(item.id, claim('a')),
      other.cases.update(item.id, claim('b')),
    ]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect((await other.cases.list({ status: 'assigned' })).map((c) => c.id)).toContain(item.id);
    expect((await stores.cases.list({ status: 'queued' })).map((c) => c.id)).not.toContain(item.id);
  });

  it('carries bus messages from one instance to another', async () => {
    const { stores } = get();
    const other = await peer();
    const topic = uniqueId('agent-reply');
    const received: JsonValue[] = [];
    const stop = await other.bus.subscribe(topic, (p) => received.push(p));
    await stores.bus.publish(topic, { conversationId: 'c9', text: 'An agent is here.' });
    const deadline = Date.now() + 3000;
    while (received.length === 0 && Date.now() < deadline) await sleep(5);
    expect(received).toEqual([{ conversationId: 'c9', text: 'An agent is here.' }]);
    await stop();
  });
}
