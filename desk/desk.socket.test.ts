import { WebSocket } from 'ws';
import { createMemoryStores } from '../stores/memory';
import { startDeskKit, testAccounts, type DeskKit } from '../test/handoff/support/desk-kit';
import { createAgentDirectory, type AgentDirectory } from './agents';

let kit: DeskKit;
let base: string;

beforeEach(async () => {
  kit = await startDeskKit({ stores: createMemoryStores({ retentionMs: 3_600_000 }) });
  base = kit.address.url;
});
afterEach(() => kit.close());

async function token(): Promise<string> {
  const response = await fetch(`${base}/api/agent/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'sam', password: 'sam-password-1' }),
  });
  return ((await response.json()) as { token: string }).token;
}

function upgradeStatus(url: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url);
    socket.once('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
    socket.once('open', () => reject(new Error('the socket opened')));
    socket.once('error', () => undefined);
  });
}

async function connect(t: string) {
  const socket = new WebSocket(`${base.replace('http', 'ws')}/api/agent/socket?token=${t}`);
  const frames: { type: string; [key: string]: unknown }[] = [];
  socket.on('message', (data: Buffer) => frames.push(JSON.parse(data.toString()) as (typeof frames)[number]));
  await new Promise((resolve) => socket.once('open', resolve));
  const until = async (test: (f: (typeof frames)[number]) => boolean) => {
    for (let i = 0; i < 200; i += 1) {
      const found = frames.find(test);
      if (found) return found;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    throw new Error(`no such frame; got ${JSON.stringify(frames)}`);
  };
  return { socket, frames, until, send: (frame: unknown) => socket.send(JSON.stringify(frame)) };
}

async function rest(sender: string, message: string): Promise<void> {
  await fetch(`${base}/webhooks/rest/webhook`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ sender, message }),
  });
}

describe('desk socket', () => {
  it('refuses a missing or bad token with 401', async () => {
    const url = `${base.replace('http', 'ws')}/api/agent/socket`;
    expect(await upgradeStatus(url)).toBe(401);
    expect(await upgradeStatus(`${url}?token=forged.token`)).toBe(401);
  });

  it('streams queue changes and the lines of the watched case only', async () => {
    const desk = await connect(await token());
    await desk.until((f) => f.type === 'ready');
    await rest('ann', 'human');
    const opened = await desk.until((f) => f.type === 'case');
    const annCase = (opened.case as { id: string }).id;
    await rest('bob', 'human');
    await desk.until(
      (f) => f.type === 'case' && (f.case as { customerId: string }).customerId === 'rest:bob',
    );

    desk.send({ type: 'watch', caseId: annCase });
    await new Promise((resolve) => setTimeout(resolve, 50));
    await rest('bob', 'not for this desk');
    await rest('ann', '<script>alert(1)</script>');
    const line = await desk.until((f) => f.type === 'line');
    expect(line).toMatchObject({
      caseId: annCase,
      entry: { speaker: 'customer', text: '<script>alert(1)</script>' },
      line: { kind: 'message', by: 'Customer', text: '<script>alert(1)</script>' },
    });

    await kit.cases.claim(annCase, { username: 'sam', name: 'Sam' });
    await desk.until((f) => f.type === 'case' && (f.case as { status: string }).status === 'assigned');
    const claimed = await desk.until(
      (f) => f.type === 'line' && (f.entry as { event?: string }).event === 'case.claimed',
    );
    expect(claimed.line).toEqual(
      expect.objectContaining({ kind: 'event', topic: 'case', text: 'Sam took the case.' }),
    );
    expect(
      desk.frames.filter((f) => f.type === 'line').map((f) => (f.entry as { text?: string }).text),
    ).not.toContain('not for this desk');

    desk.send({ type: 'unwatch' });
    await new Promise((resolve) => setTimeout(resolve, 50));
    const before = desk.frames.length;
    await rest('ann', 'after unwatch');
    await new Promise((resolve) => setTimeout(resolve, 100));
    // Only the unread count of the unwatched case moves: Ann's three messages so far, none read.
    expect(desk.frames.slice(before)).toEqual([{ type: 'unread', caseId: annCase, unread: 3 }]);
    desk.socket.close();
  });

  it('answers a malformed frame with an error and stays open', async () => {
    const desk = await connect(await token());
    await desk.until((f) => f.type === 'ready');
    desk.socket.send('not json');
    desk.send({ type: 'watch' });
    await desk.until((f) => f.type === 'error');
    desk.send({ type: 'watch', caseId: 'x' });
    await rest('cy', 'human');
    await desk.until((f) => f.type === 'case');
    expect(desk.frames.filter((f) => f.type === 'error')).toHaveLength(2);
    desk.socket.close();
  });

  it('accepts the token in an Authorization header, any case of Bearer', async () => {
    const socket = new WebSocket(`${base.replace('http', 'ws')}/api/agent/socket`, {
      headers: { authorization: `bEaReR ${await token()}` },
    });
    const ready = await new Promise<string>((resolve, reject) => {
      socket.once('message', (data: Buffer) => resolve(JSON.parse(data.toString()).type as string));
      socket.once('unexpected-response', (_req, res) => reject(new Error(`status ${res.statusCode}`)));
    });
    expect(ready).toBe('ready');
    socket.close();
  });

  it('closes a signed-in socket when its token is revoked on another process, and refuses it after', async () => {
    const other = await startDeskKit({ stores: kit.runtime.stores, directory: kit.directory });
    try {
      const [revokedToken, keptToken] = [await token(), await token()];
      const [desk, kept] = [await connect(revokedToken), await connect(keptToken)];
      await Promise.all([desk.until((f) => f.type === 'ready'), kept.until((f) => f.type === 'ready')]);
      const closed = new Promise<number>((resolve) => desk.socket.once('close', (code) => resolve(code)));
      const out = await fetch(`${other.address.url}/api/agent/logout`, {
        method: 'POST',
        headers: { authorization: `Bearer ${revokedToken}` },
      });
      expect(out.status).toBe(200);
      expect(await closed).toBe(4401);
      expect(kept.socket.readyState).toBe(WebSocket.OPEN);
      const url = `${base.replace('http', 'ws')}/api/agent/socket?token=${revokedToken}`;
      expect(await upgradeStatus(url)).toBe(401);
      kept.socket.close();
    } finally {
      await other.close();
    }
  });

  it('closes a socket at the next check once its agent is no longer in the directory', async () => {
    await kit.close();
    const directory = await createAgentDirectory(await testAccounts());
    let removed = false;
    const changing: AgentDirectory = {
      authenticate: (username, password) => directory.authenticate(username, password),
      find: async (username) => (removed ? undefined : directory.find(username)),
      list: () => directory.list(),
    };
    kit = await startDeskKit({
      stores: createMemoryStores({ retentionMs: 3_600_000 }),
      directory: changing,
      socketHeartbeatMs: 50,
    });
    base = kit.address.url;
    const desk = await connect(await token());
    await desk.until((f) => f.type === 'ready');
    const closed = new Promise<number>((resolve) => desk.socket.once('close', (code) => resolve(code)));
    removed = true;
    expect(await closed).toBe(4401);
  });
});
