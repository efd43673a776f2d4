import { WebSocket } from 'ws';
import type { Stores } from '../core/ports';
import { createMemoryStores } from '../stores/memory';
import { createRedisStores } from '../stores/redis';
import { openPostgresRecords, withDurableRecords } from '../stores/postgres';
import { startRedisServer, type RedisServer } from '../test/support/redis-server';
import { createTestDatabase } from '../test/support/postgres';
import { startDeskKit, TEST_COST, type DeskKit } from '../test/handoff/support/desk-kit';
import { createAgentDirectory, hashPassword } from './agents';
import { createTokenIssuer } from './tokens';
import { parseDeskConfig } from './desk-config';

const retentionMs = 3_600_000;
const PEOPLE = {
  sam: { username: 'sam', name: 'Sam', password: 'sam-pw-1' },
  alex: { username: 'alex', name: 'Alex', password: 'alex-pw-1', skills: { queues: ['general'] } },
  sue: { username: 'sue', name: 'Sue', password: 'sue-pw-1', roles: ['supervisor' as const] },
  dpo: { username: 'dpo', name: 'Dana', password: 'dpo-pw-1', roles: ['privacy' as const] },
};
const config = parseDeskConfig({
  queues: [
    { id: 'general', label: 'General', slaMinutes: 5 },
    { id: 'people', label: 'People', slaMinutes: 2, intents: ['human'], channels: ['rest'] },
  ],
  canned: [{ id: 'hi', title: 'Hello', text: 'Hi {customer.name}, {agent.name} here about case {case.id}.' }],
});

type Backend = { name: string; open(): Promise<Stores>; stop(): Promise<void> };
let redis: RedisServer | undefined;
const backends: Backend[] = [
  { name: 'memory', open: async () => createMemoryStores({ retentionMs }), stop: async () => undefined },
  {
    name: 'Redis',
    open: async () => {
      redis ??= await startRedisServer();
      return createRedisStores({ url: redis.url, retentionMs, keyPrefix: `f${Date.now()}` });
    },
    stop: async () => {
      await redis?.stop();
      redis = undefined;
    },
  },
  {
    // A database per test: PostgreSQL's cases outlive a key prefix.
    name: 'Redis with PostgreSQL records',
    open: async () => {
      redis ??= await startRedisServer();
      const own = await createTestDatabase();
      const records = await openPostgresRecords({ databaseUrl: own.url, retentionMs, sweepIntervalMs: 0 });
      const hot = await createRedisStores({ url: redis.url, retentionMs, keyPrefix: `p${Date.now()}` });
      const stores = withDurableRecords(hot, records);
      return {
        ...stores,
        close: async () => {
          await stores.close();
          await records.close();
          await own.drop();
        },
      };
    },
    stop: async () => {
      await redis?.stop();
      redis = undefined;
    },
  },
];

describe.each(backends)('agent desk features on $name', (backend) => {
  let kit: DeskKit;
  let now = Date.now();
  afterAll(() => backend.stop());
  beforeEach(async () => {
    now = Date.now();
    const directory = await createAgentDirectory(
      await Promise.all(
        Object.values(PEOPLE).map(async ({ password, ...account }) => ({
          ...account,
          passwordHash: await hashPassword(password, TEST_COST),
        })),
      ),
    );
    kit = await startDeskKit({
      stores: await backend.open(),
      directory,
      deskConfig: config,
      clock: { now: () => (now += 1) },
    });
  });
  afterEach(() => kit.close());

  async function call<T = Record<string, unknown>>(
    method: string,
    path: string,
    token?: string,
    body?: unknown,
  ) {
    const headers: Record<string, string> = token ? { authorization: `Bearer ${token}` } : {};
    if (body !== undefined) headers['content-type'] = 'application/json';
    const response = await fetch(`${kit.address.url}${path}`, {
      method,
      headers,
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    return { status: response.status, body: (await response.json()) as T };
  }
  const signIn = async (who: keyof typeof PEOPLE) =>
    (await call<{ token: string }>('POST', '/api/agent/login', undefined, PEOPLE[who])).body.token;
  const say = (sender: string, message: string) =>
    call('POST', '/webhooks/rest/webhook', undefined, { sender, message });
  async function openCase(sender: string, first: string): Promise<string> {
    await say(sender, first);
    await say(sender, 'human');
    const found = (await kit.runtime.stores.cases.list()).find(
      (c) => c.customerId === `rest:${sender}` && c.status === 'queued',
    );
    if (!found) throw new Error('no case');
    return found.id;
  }
  type View = {
    id: string;
    title: string;
    queue: { code: string };
    reason: { label: string };
    unread: number;
  };

  it('routes by intent and channel, titles cases, searches and pages them', async () => {
    const ann = await openCase('ann', 'my parcel never came');
    await openCase('bob', 'I want a refund');
    const token = await signIn('sam');
    const all = await call<{ cases: View[]; total: number }>('GET', '/api/cases?status=open&limit=1', token);
    expect(all.body.total).toBe(2);
    expect(all.body.cases).toHaveLength(1);
    expect(all.body.cases[0]).toMatchObject({
      id: ann,
      title: 'rest ann · my parcel never came',
      queue: { code: 'people', label: 'People' },
      reason: { code: 'customer_request', label: 'Customer asked for a person' },
      priority: { code: 'normal', value: 0 },
    });
    const parcel = await call<{ cases: View[] }>('GET', '/api/cases?q=PARCEL', token);
    expect(parcel.body.cases.map((c) => c.id)).toEqual([ann]);
    const bob = await call<{ cases: View[] }>('GET', '/api/cases?customer=bob&intent=human', token);
    expect(bob.body.cases.map((c) => c.title)).toEqual(['rest bob · I want a refund']);
    const later = await call<{ total: number }>('GET', `/api/cases?from=${now + 60_000}`, token);
    expect(later.body.total).toBe(0);
    expect((await call('GET', '/api/cases?from=yesterday', token)).status).toBe(400);
  });

  it('claims by skill; a supervisor assigns; an owner transfers with a note, shown as plain lines', async () => {
    const id = await openCase('cat', 'router blinking');
    const [sam, alex, sue] = [await signIn('sam'), await signIn('alex'), await signIn('sue')];
    expect((await call('POST', `/api/cases/${id}/claim`, alex)).status).toBe(403);
    expect((await call('POST', `/api/cases/${id}/assign`, sam, { agent: 'sam' })).status).toBe(403);
    expect((await call('POST', `/api/cases/${id}/assign`, sue, { agent: 'alex' })).status).toBe(409);
    expect((await call('POST', `/api/cases/${id}/claim`, sam)).status).toBe(200);
    const moved = await call<{ case: { status: string; queue: string } }>(
      'POST',
      `/api/cases/${id}/transfer`,
      sam,
      {
        queue: 'general',
        note: 'billing question really',
      },
    );
    expect(moved.body.case).toMatchObject({ status: 'queued', queue: 'general' });
    expect((await call('POST', `/api/cases/${id}/assign`, sue, { agent: 'alex' })).status).toBe(200);
    const detail = await call<{ lines: { kind: string; topic?: string; text: string }[] }>(
      'GET',
      `/api/cases/${id}`,
      alex,
    );
    const words = detail.body.lines.filter((l) => l.kind !== 'message').map((l) => l.text);
    expect(words).toEqual(
      expect.arrayContaining([
        'Sam took the case.',
        'Sam moved the case to the General queue.',
        'billing question really',
        'Sue assigned the case to Alex.',
      ]),
    );
    expect(detail.body.lines.some((l) => l.text.includes('{'))).toBe(false);
  });

  it('renders canned responses, counts unread messages and shows the customer panel', async () => {
    const first = await openCase('dee', 'where is my order');
    const sam = await signIn('sam');
    await call('POST', `/api/cases/${first}/claim`, sam);
    await call('POST', `/api/cases/${first}/resolve`, sam, { handBack: false });
    const id = await openCase('dee', 'still no order');
    const canned = await call<{ responses: unknown[] }>('GET', `/api/cases/${id}/canned`, sam);
    expect(canned.body.responses).toEqual([
      {
        id: 'hi',
        title: 'Hello',
        text: `Hi {customer.name}, Sam here about case ${id}.`,
        missing: ['customer.name'],
      },
    ]);
    const unread = async () =>
      (await call<{ cases: View[] }>('GET', '/api/cases?status=queued', sam)).body.cases.find(
        (c) => c.id === id,
      )?.unread;
    const before = await unread();
    await say('dee', 'hello?');
    expect(await unread()).toBe((before ?? 0) + 1);
    expect((await call('POST', `/api/cases/${id}/read`, sam)).body).toEqual({ unread: 0 });
    expect(await unread()).toBe(0);
    const panel = await call<Record<string, unknown>>('GET', `/api/cases/${id}/customer`, sam);
    expect(panel.body).toMatchObject({
      customerId: 'rest:dee',
      channels: [{ channel: 'rest', userId: 'dee', display: 'rest dee' }],
      previousCases: [
        { id: first, status: 'closed', outcome: { code: 'closed', label: 'Closed by an agent' } },
      ],
    });
    expect(panel.body.consent).toContainEqual(
      expect.objectContaining({ purpose: 'analytics', state: 'not_asked' }),
    );
  });

  it('shows an agent online while their desk socket is open (presence over the bus)', async () => {
    const sue = await signIn('sue');
    const online = async () =>
      (await call<{ agents: { username: string; online: boolean }[] }>('GET', '/api/agents', sue)).body.agents
        .filter((a) => a.online)
        .map((a) => a.username);
    expect(await online()).toEqual([]);
    const socket = new WebSocket(
      `${kit.address.url.replace('http', 'ws')}/api/agent/socket?token=${await signIn('sam')}`,
    );
    await new Promise((resolve) => socket.once('message', resolve));
    const waitFor = async (expected: string[]) => {
      for (let i = 0; i < 100 && JSON.stringify(await online()) !== JSON.stringify(expected); i += 1) {
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      expect(await online()).toEqual(expected);
    };
    await waitFor(['sam']);
    socket.close();
    await waitFor([]);
  });

  it('says why a token is refused, and keeps supervisor figures to supervisors', async () => {
    const sam = await signIn('sam');
    expect((await call('GET', '/api/cases', undefined)).body).toMatchObject({ reason: 'missing' });
    const other = createTokenIssuer({
      secret: 'another-secret-0123456789',
      clock: { now: () => now },
      directory: kit.directory,
      revoked: kit.runtime.stores.revokedTokens,
    });
    const stale = await call('GET', '/api/cases', await other.issue({ username: 'sam', name: 'Sam' }));
    expect(stale).toMatchObject({
      status: 401,
      body: { reason: 'secret_changed', detail: expect.stringMatching(/key changed/) },
    });
    expect((await call('GET', '/api/supervisor/stats', sam)).status).toBe(403);
    // A privacy officer alone does not work cases.
    const dpo = await signIn('dpo');
    expect((await call('GET', '/api/cases', dpo)).body).toMatchObject({ error: 'forbidden' });
    expect((await call('GET', '/api/agent/me', dpo)).body).toMatchObject({ agent: { roles: ['privacy'] } });
    await openCase('eve', 'help');
    now += 3 * 60_000;
    const stats = await call<{
      queues: { id: string; queued: number; breaches: number }[];
      breaches: unknown[];
    }>('GET', '/api/supervisor/stats', await signIn('sue'));
    expect(stats.body.queues).toContainEqual(
      expect.objectContaining({ id: 'people', queued: 1, breaches: 1 }),
    );
    expect(stats.body.breaches).toHaveLength(1);
    await call('POST', '/api/agent/logout', sam);
    expect((await call('GET', '/api/cases', sam)).body).toMatchObject({
      reason: 'revoked',
      detail: expect.stringMatching(/signed out/i),
    });
  });
});
