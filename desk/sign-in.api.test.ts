import { request } from 'node:http';
import type { Stores } from '../core/ports';
import { createMemoryStores } from '../stores/memory';
import {
  AGENTS,
  KIT_SECRET,
  startDeskKit,
  testAccounts,
  type DeskKit,
} from '../test/handoff/support/desk-kit';
import { createAgentDirectory, hashPassword, type AgentDirectory } from './agents';
import { createTokenIssuer } from './tokens';

// Loopback is a whole /8 on Linux: requests from 127.0.0.2 come from another client address.
const AGENT_ADDRESS = '127.0.0.1';
const ATTACKER = '127.0.0.2';

let stores: Stores;
let kits: DeskKit[];

beforeEach(() => {
  stores = createMemoryStores({ retentionMs: 3_600_000 });
  kits = [];
});
afterEach(async () => {
  await Promise.all(kits.map((kit) => kit.close()));
});

/** A server process; several started in one test share `stores`, as processes share a Redis. */
async function startProcess(): Promise<DeskKit> {
  const kit = await startDeskKit({ stores, directory: kits[0]?.directory });
  kits.push(kit);
  return kit;
}

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Record<string, unknown>;
}

function send(
  kit: DeskKit,
  method: string,
  path: string,
  options: { from?: string; body?: unknown; authorization?: string } = {},
): Promise<Answer> {
  const data = options.body === undefined ? '' : JSON.stringify(options.body);
  const headers: Record<string, string | number> = { 'content-length': Buffer.byteLength(data) };
  if (data) headers['content-type'] = 'application/json';
  if (options.authorization) headers.authorization = options.authorization;
  return new Promise((resolve, reject) => {
    const outgoing = request(
      `${kit.address.url}${path}`,
      { method, headers, localAddress: options.from ?? AGENT_ADDRESS },
      (response) => {
        let text = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => (text += chunk));
        response.on('end', () =>
          resolve({
            status: response.statusCode ?? 0,
            headers: response.headers,
            body: text ? (JSON.parse(text) as Record<string, unknown>) : {},
          }),
        );
      },
    );
    outgoing.on('error', reject);
    outgoing.end(data);
  });
}

const login = (kit: DeskKit, username: string, password: string, from = AGENT_ADDRESS) =>
  send(kit, 'POST', '/api/agent/login', { from, body: { username, password } });

async function tokenFor(kit: DeskKit, agent: { username: string; password: string }): Promise<string> {
  const answer = await login(kit, agent.username, agent.password);
  expect(answer.status).toBe(200);
  return answer.body.token as string;
}

const me = (kit: DeskKit, token: string) =>
  send(kit, 'GET', '/api/agent/me', { authorization: `Bearer ${token}` });

describe('agent sign-in under attack', () => {
  it('checks no more than five of 60 guesses sent at once, so the right one among them gets no token', async () => {
    const real = await createAgentDirectory(await testAccounts());
    let checked = 0;
    const counting: AgentDirectory = {
      authenticate: (username, password) => ((checked += 1), real.authenticate(username, password)),
      find: (username) => real.find(username),
      list: () => real.list(),
    };
    const kit = await startDeskKit({ stores, directory: counting });
    kits.push(kit);
    const guesses = Array.from({ length: 59 }, (_, i) => `guess-${i}`).concat(AGENTS.sam.password);
    const answers = await Promise.all(guesses.map((guess) => login(kit, 'sam', guess, ATTACKER)));
    const statuses = answers.map((a) => a.status);
    expect(statuses.filter((s) => s === 401)).toHaveLength(5);
    expect(statuses.filter((s) => s === 429)).toHaveLength(55);
    expect(answers.some((a) => a.body.token)).toBe(false);
    expect(checked).toBe(5);
  });

  it("does not let an attacker's wrong guesses lock the agent out of their own address", async () => {
    const kit = await startProcess();
    for (let i = 0; i < 5; i += 1) expect((await login(kit, 'sam', `guess-${i}`, ATTACKER)).status).toBe(401);
    const refused = await login(kit, 'sam', AGENTS.sam.password, ATTACKER);
    expect(refused.status).toBe(429);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    expect((await login(kit, 'sam', AGENTS.sam.password, AGENT_ADDRESS)).status).toBe(200);
  });

  it('throttles one password tried across many usernames from one address', async () => {
    const kit = await startProcess();
    const statuses: number[] = [];
    for (let i = 0; i < 25; i += 1)
      statuses.push((await login(kit, `user${i}`, 'Summer2026!', ATTACKER)).status);
    expect(statuses.slice(0, 20).every((s) => s === 401)).toBe(true);
    expect(statuses.slice(20).every((s) => s === 429)).toBe(true);
    expect((await login(kit, 'alex', AGENTS.alex.password, AGENT_ADDRESS)).status).toBe(200);
  });

  it('shares the limits between processes through the store', async () => {
    const [one, two] = [await startProcess(), await startProcess()];
    for (let i = 0; i < 5; i += 1) expect((await login(one, 'sam', `guess-${i}`, ATTACKER)).status).toBe(401);
    expect((await login(two, 'sam', `guess-5`, ATTACKER)).status).toBe(429);
  });
});

describe('tokens', () => {
  it('signs out: the token is refused on every process, other tokens of the agent still work', async () => {
    const [one, two] = [await startProcess(), await startProcess()];
    const [token, otherTab] = [await tokenFor(one, AGENTS.sam), await tokenFor(one, AGENTS.sam)];
    expect((await me(two, token)).status).toBe(200);
    const out = await send(one, 'POST', '/api/agent/logout', { authorization: `Bearer ${token}` });
    expect(out).toMatchObject({ status: 200, body: { signedOut: true } });
    expect((await me(one, token)).status).toBe(401);
    expect((await me(two, token)).status).toBe(401);
    expect((await send(two, 'POST', '/api/agent/logout', { authorization: `Bearer ${token}` })).status).toBe(
      401,
    );
    expect((await me(two, otherTab)).status).toBe(200);
  });

  it('refuses a correctly signed token for an agent the desk does not know', async () => {
    const kit = await startProcess();
    const mallory = { username: 'mallory', name: 'Mallory' };
    const elsewhere = await createAgentDirectory([
      { ...mallory, passwordHash: await hashPassword('x', { N: 2 ** 10, r: 8, p: 1 }) },
    ]);
    const forger = createTokenIssuer({
      secret: KIT_SECRET,
      clock: Date,
      directory: elsewhere,
      revoked: stores.revokedTokens,
    });
    expect((await me(kit, await forger.issue(mallory))).status).toBe(401);
  });

  it('refuses a re-spelled signature that decodes to the same bytes', async () => {
    const kit = await startProcess();
    const token = await tokenFor(kit, AGENTS.sam);
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    const last = alphabet.indexOf(token.at(-1)!);
    // A 32-byte signature's last character carries 2 unused bits: flipping one keeps the bytes.
    const respelled = token.slice(0, -1) + alphabet[last ^ 1];
    expect(Buffer.from(respelled.split('.')[1]!, 'base64url')).toEqual(
      Buffer.from(token.split('.')[1]!, 'base64url'),
    );
    expect((await me(kit, respelled)).status).toBe(401);
    expect((await me(kit, token)).status).toBe(200);
  });

  it('reads the Bearer scheme case-insensitively', async () => {
    const kit = await startProcess();
    const token = await tokenFor(kit, AGENTS.sam);
    expect((await send(kit, 'GET', '/api/agent/me', { authorization: `bearer ${token}` })).status).toBe(200);
    expect((await send(kit, 'GET', '/api/agent/me', { authorization: `Basic ${token}` })).status).toBe(401);
  });
});
