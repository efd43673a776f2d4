import { WebSocket } from 'ws';
import { createMemoryStores } from '../stores/memory';
import { startDeskKit, TEST_COST, type DeskKit } from '../test/handoff/support/desk-kit';
import { createAgentDirectory, hashPassword } from './agents';

type Frame = { type: string; [key: string]: unknown };
let kit: DeskKit;

beforeEach(async () => {
  const directory = await createAgentDirectory([
    { username: 'sam', name: 'Sam', passwordHash: await hashPassword('sam-pw-1', TEST_COST) },
    {
      username: 'sue',
      name: 'Sue',
      passwordHash: await hashPassword('sue-pw-1', TEST_COST),
      roles: ['supervisor'],
    },
  ]);
  kit = await startDeskKit({
    stores: createMemoryStores({ retentionMs: 3_600_000 }),
    directory,
    statsIntervalMs: 60_000,
  });
});
afterEach(() => kit.close());

async function signIn(username: string): Promise<string> {
  const response = await fetch(`${kit.address.url}/api/agent/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password: `${username}-pw-1` }),
  });
  return ((await response.json()) as { token: string }).token;
}

/** A raw socket that keeps every frame and waits for one that passes a test. */
async function open(path: string) {
  const socket = new WebSocket(`${kit.address.url.replace('http', 'ws')}${path}`);
  const frames: Frame[] = [];
  let closed: { code: number; reason: string } | undefined;
  socket.on('message', (data: Buffer) => frames.push(JSON.parse(data.toString()) as Frame));
  socket.on('close', (code, reason) => (closed = { code, reason: reason.toString() }));
  await new Promise((resolve) => socket.once('open', resolve));
  const until = async (test: (f: Frame) => boolean, from = 0) => {
    for (let i = 0; i < 300; i += 1) {
      const found = frames.slice(from).find(test);
      if (found) return found;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    throw new Error(`no such frame; got ${JSON.stringify(frames)}`);
  };
  return {
    socket,
    frames,
    until,
    closed: () => closed,
    send: (frame: unknown) => socket.send(JSON.stringify(frame)),
  };
}

describe('the desk socket, live', () => {
  it('relays typing both ways between an agent and a web chat customer', async () => {
    const chat = await open('/webchat/socket');
    chat.send({ type: 'hello', locale: 'en' });
    await chat.until((f) => f.type === 'ready');
    chat.send({ type: 'message', id: 'm1', text: 'human' });
    await chat.until((f) => f.type === 'reply' && f.replyTo === 'm1');
    const [item] = await kit.runtime.stores.cases.list({ status: 'queued' });
    if (!item) throw new Error('no case');
    const token = await signIn('sam');
    await fetch(`${kit.address.url}/api/cases/${item.id}/claim`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}` },
    });
    const desk = await open(`/api/agent/socket?token=${token}`);
    await desk.until((f) => f.type === 'ready');
    desk.send({ type: 'watch', caseId: item.id });
    await new Promise((resolve) => setTimeout(resolve, 50));

    const before = chat.frames.length;
    desk.send({ type: 'typing', caseId: item.id, active: true });
    expect(await chat.until((f) => f.type === 'typing' && f.agent === 'Sam', before)).toEqual({
      type: 'typing',
      active: true,
      agent: 'Sam',
    });
    chat.send({ type: 'typing', active: true });
    expect(await desk.until((f) => f.type === 'typing')).toEqual({
      type: 'typing',
      caseId: item.id,
      who: 'customer',
      active: true,
    });
    // The agent's own typing is not echoed back to their desk.
    expect(desk.frames.filter((f) => f.type === 'typing' && f.who === 'agent')).toEqual([]);
    chat.socket.close();
    desk.socket.close();
  });

  it('refuses typing on a case the agent does not own', async () => {
    await fetch(`${kit.address.url}/webhooks/rest/webhook`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ sender: 'zed', message: 'human' }),
    });
    const [item] = await kit.runtime.stores.cases.list({ status: 'queued' });
    const desk = await open(`/api/agent/socket?token=${await signIn('sam')}`);
    await desk.until((f) => f.type === 'ready');
    desk.send({ type: 'typing', caseId: item?.id, active: true });
    expect(await desk.until((f) => f.type === 'error')).toMatchObject({
      detail: 'typing is for a case you own',
    });
    desk.socket.close();
  });

  it('pushes supervisor figures with who is online, and says why a session ended before closing', async () => {
    const samToken = await signIn('sam');
    const sam = await open(`/api/agent/socket?token=${samToken}`);
    await sam.until((f) => f.type === 'ready');
    const sue = await open(`/api/agent/socket?token=${await signIn('sue')}`);
    const ready = await sue.until((f) => f.type === 'ready');
    expect(ready.agent).toMatchObject({ username: 'sue', roles: ['supervisor'] });
    const first = (await sue.until((f) => f.type === 'supervisor')) as unknown as {
      stats: { agents: unknown[] };
    };
    expect(first.stats.agents).toEqual([
      { username: 'sam', name: 'Sam', online: true, assigned: 0 },
      { username: 'sue', name: 'Sue', online: true, assigned: 0 },
    ]);
    expect(sam.frames.some((f) => f.type === 'supervisor')).toBe(false);
    // A new case pushes fresh figures within a second.
    const seen = sue.frames.length;
    await fetch(`${kit.address.url}/webhooks/rest/webhook`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ sender: 'amy', message: 'human' }),
    });
    const fresh = (await sue.until((f) => f.type === 'supervisor', seen)) as unknown as {
      stats: { queues: { id: string; queued: number }[] };
    };
    expect(fresh.stats.queues).toEqual([expect.objectContaining({ id: 'general', queued: 1 })]);

    await fetch(`${kit.address.url}/api/agent/logout`, {
      method: 'POST',
      headers: { authorization: `Bearer ${samToken}` },
    });
    expect(await sam.until((f) => f.type === 'signed_out')).toEqual({
      type: 'signed_out',
      reason: 'revoked',
      detail: expect.stringMatching(/^Signed out because/),
    });
    for (let i = 0; i < 100 && !sam.closed(); i += 1) await new Promise((resolve) => setTimeout(resolve, 10));
    expect(sam.closed()).toEqual({ code: 4401, reason: 'revoked' });
    sue.socket.close();
  });
});
