import type { Stores } from '../../core/ports';
import type { TranscriptEntry } from '../../core/transcript';
import type { StoresFixture } from './stores.contract';

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
let sequence = 0;
const uniqueId = (prefix: string) => `${prefix}-commit-${Date.now().toString(36)}-${(sequence += 1)}`;

const line = (text: string): TranscriptEntry => ({ at: 1, speaker: 'customer', channel: 'webchat', text });

/** A turn that holds its conversation until the test opens its gate. */
function gate(): { open: () => void; opened: Promise<void> } {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { open, opened };
}

/** The one write of a turn, and the order turns join their queue in: every backend. */
export function describeTurnCommits(get: () => Stores): void {
  it('commits state, lines and the dedupe record of a turn together', async () => {
    const stores = get();
    const id = uniqueId('conv');
    const state = { conversationId: id, customerId: 'c1', updatedAt: 5, dialog: { step: 1 } };
    const replies = [{ from: 'bot' as const, text: 'Your order shipped.' }];
    await stores.turns.run(id, () =>
      stores.commits.commit({
        conversationId: id,
        state,
        entries: [line('where is my order'), { ...line('Your order shipped.'), speaker: 'bot' }],
        processed: { messageId: 'webchat:m1', replies },
      }),
    );
    expect(await stores.conversations.get(id)).toEqual(state);
    expect((await stores.transcripts.read(id)).map((e) => e.text)).toEqual([
      'where is my order',
      'Your order shipped.',
    ]);
    expect(await stores.processed.get(id, 'webchat:m1')).toEqual(replies);
    // The lock went with the commit: the next turn runs at once.
    await expect(stores.turns.run(id, async () => 'next')).resolves.toBe('next');
  });

  it('writes only the lines of a failed turn: the state stays and the message is not marked done', async () => {
    const stores = get();
    const id = uniqueId('conv');
    await stores.conversations.put({ conversationId: id, customerId: 'c1', updatedAt: 1 });
    await stores.turns.run(id, () => stores.commits.commit({ conversationId: id, entries: [line('boom')] }));
    expect(await stores.conversations.get(id)).toEqual({
      conversationId: id,
      customerId: 'c1',
      updatedAt: 1,
    });
    expect(await stores.transcripts.count(id)).toBe(1);
    expect(await stores.processed.get(id, 'webchat:m1')).toBeUndefined();
  });

  it('runs numbered turns in their order, whatever order they were called in', async () => {
    const { turns } = get();
    const id = uniqueId('conv');
    const ran: number[] = [];
    const hold = gate();
    const first = turns.run(id, () => hold.opened.then(() => void ran.push(0)));
    const calls = [3, 1, 4, 2].map(async (n, i) => {
      await sleep(i * 5);
      await turns.run(id, async () => void ran.push(n), { sequence: n });
    });
    await sleep(40);
    hold.open();
    await Promise.all([first, ...calls]);
    expect(ran).toEqual([0, 1, 2, 3, 4]);
  });

  it('lets a numbered turn go ahead when its predecessor never comes', async () => {
    const { turns } = get();
    const id = uniqueId('conv');
    const ran: number[] = [];
    await turns.run(id, async () => void ran.push(1), { sequence: 1 });
    const started = Date.now();
    await turns.run(id, async () => void ran.push(3), { sequence: 3 }); // 2 was lost
    await turns.run(id, async () => void ran.push(4), { sequence: 4 });
    expect(ran).toEqual([1, 3, 4]);
    expect(Date.now() - started).toBeLessThan(5000);
  });
}

/** What only a backend shared by several processes can be held to: surviving a process that died. */
export function describeCrashRecovery(get: () => StoresFixture): void {
  let peers: Stores[];
  const peer = async (lockLeaseMs: number) => {
    const opened = await get().openPeer!({ lockLeaseMs });
    peers.push(opened);
    return opened;
  };

  beforeEach(() => {
    peers = [];
  });

  afterEach(async () => {
    await Promise.all(peers.map((p) => p.close()));
  });

  it('recovers a dead holder and every turn queued on its process in about one lease', async () => {
    const leaseMs = 400;
    const survivor = await peer(leaseMs);
    const dying = await peer(leaseMs);
    const id = uniqueId('conv');
    void dying.turns.run(id, () => new Promise<void>(() => undefined)).catch(() => undefined);
    for (let i = 0; i < 5; i += 1) void dying.turns.run(id, async () => undefined).catch(() => undefined);
    await sleep(30);
    let startedAt = 0;
    const next = survivor.turns.run(id, async () => void (startedAt = Date.now()));
    await sleep(leaseMs); // alive: renewing, so nobody moves
    expect(startedAt).toBe(0);
    const diedAt = Date.now();
    await dying.close();
    await next;
    // One lease for the holder and its queue together (it used to be one lease per dead ticket: 6 here).
    expect(startedAt - diedAt).toBeLessThan(leaseMs + 350);
  });

  it('hands the turn straight past turns queued on a process that died meanwhile', async () => {
    const leaseMs = 400;
    const survivor = await peer(leaseMs);
    const dying = await peer(leaseMs);
    const id = uniqueId('conv');
    const hold = gate();
    const first = survivor.turns.run(id, () => hold.opened);
    await sleep(20);
    for (let i = 0; i < 3; i += 1) void dying.turns.run(id, async () => undefined).catch(() => undefined);
    await sleep(20);
    let startedAt = 0;
    const next = survivor.turns.run(id, async () => void (startedAt = Date.now()));
    await sleep(20);
    await dying.close();
    await sleep(leaseMs); // its tickets go stale while the holder still runs
    const releasedAt = Date.now();
    hold.open();
    await Promise.all([first, next]);
    expect(startedAt - releasedAt).toBeLessThan(200);
  });
}
