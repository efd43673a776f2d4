import type { CaseSummary } from '../handoff/case-events';
import type { Case } from '../core/case';
import type { TranscriptEntry } from '../core/transcript';
import { createMemoryStores } from '../stores/memory';
import { AGENTS, KIT_SECRET, startDeskKit, type DeskKit } from '../test/handoff/support/desk-kit';
import { createTokenIssuer } from './tokens';

let kit: DeskKit;
let base: string;

beforeEach(async () => {
  kit = await startDeskKit({ stores: createMemoryStores({ retentionMs: 3_600_000 }) });
  base = kit.address.url;
});
afterEach(() => kit.close());

interface Answer<T = Record<string, unknown>> {
  status: number;
  body: T;
}

async function call<T = Record<string, unknown>>(
  method: string,
  path: string,
  options: { token?: string; body?: unknown; raw?: string } = {},
): Promise<Answer<T>> {
  const headers: Record<string, string> = {};
  if (options.token !== undefined) headers.authorization = `Bearer ${options.token}`;
  let body: string | undefined;
  if (options.raw !== undefined || options.body !== undefined) {
    headers['content-type'] = 'application/json';
    body = options.raw ?? JSON.stringify(options.body);
  }
  const response = await fetch(`${base}${path}`, { method, headers, ...(body ? { body } : {}) });
  return { status: response.status, body: (await response.json()) as T };
}

async function signIn(agent: { username: string; password: string }): Promise<string> {
  const { status, body } = await call<{ token: string }>('POST', '/api/agent/login', {
    body: { username: agent.username, password: agent.password },
  });
  expect(status).toBe(200);
  return body.token;
}

/** A customer on the REST channel; returns the texts the bot sent back. */
async function customer(sender: string, message: string): Promise<string[]> {
  const { status, body } = await call<{ text: string }[]>('POST', '/webhooks/rest/webhook', {
    body: { sender, message },
  });
  expect(status).toBe(200);
  return body.map((reply) => reply.text);
}

async function openCaseFor(sender: string): Promise<string> {
  await customer(sender, 'my parcel never came');
  await customer(sender, 'human');
  const [item] = (await kit.cases.list({ status: 'queued' })).filter(
    (c) => c.customerId === `rest:${sender}`,
  );
  if (!item) throw new Error('no case was opened');
  return item.id;
}

describe('POST /api/agent/login', () => {
  it('gives a bearer token for a known agent and password', async () => {
    const { status, body } = await call('POST', '/api/agent/login', {
      body: { username: 'sam', password: AGENTS.sam.password },
    });
    expect(status).toBe(200);
    expect(body).toEqual({
      token: expect.stringMatching(/^[\w-]+\.[\w-]+$/),
      agent: { username: 'sam', name: 'Sam', roles: ['agent'], skills: { queues: [], languages: [] } },
    });
  });

  it.each([
    ['a wrong password', { username: 'sam', password: 'nope-nope' }],
    ['an unknown user', { username: 'mallory', password: AGENTS.sam.password }],
    ["another agent's password", { username: 'sam', password: AGENTS.alex.password }],
  ])('refuses %s with 401 and no token', async (_label, credentials) => {
    const { status, body } = await call('POST', '/api/agent/login', { body: credentials });
    expect(status).toBe(401);
    expect(body).toEqual({ error: 'invalid_credentials', detail: expect.any(String) });
  });

  it('throttles a username after five wrong passwords, even for the right one, and says when to retry', async () => {
    for (let attempt = 0; attempt < 5; attempt++) {
      const { status } = await call('POST', '/api/agent/login', {
        body: { username: 'sam', password: 'guess' },
      });
      expect(status).toBe(401);
    }
    const response = await fetch(`${base}/api/agent/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'SAM', password: AGENTS.sam.password }),
    });
    expect(response.status).toBe(429);
    expect(Number(response.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await response.json()).toEqual({
      error: 'too_many_attempts',
      detail: expect.stringMatching(/try again/),
    });
    // Another agent is not affected.
    await signIn(AGENTS.alex);
  });

  it.each([
    ['a missing password', { body: { username: 'sam' } }],
    ['a non-string username', { body: { username: 7, password: 'x' } }],
    ['an array', { body: ['sam', 'x'] }],
    ['broken JSON', { raw: '{"username": "sam",' }],
  ])('answers 400 for %s', async (_label, request) => {
    const { status, body } = await call('POST', '/api/agent/login', request);
    expect(status).toBe(400);
    expect(body.error).toMatch(/invalid_(request|json)/);
  });
});

describe('authorisation', () => {
  const forged = (token: string) => {
    const [payload, signature] = token.split('.') as [string, string];
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as { sub: string };
    claims.sub = 'alex';
    return `${Buffer.from(JSON.stringify(claims)).toString('base64url')}.${signature}`;
  };

  it.each([
    ['no token', async () => undefined],
    ['a malformed token', async () => 'not-a-token'],
    [
      'a token from another secret',
      () =>
        createTokenIssuer({
          secret: 'x'.repeat(32),
          clock: Date,
          directory: kit.directory,
          revoked: createMemoryStores({ retentionMs: 1000 }).revokedTokens,
        }).issue(AGENTS.sam),
    ],
  ])('refuses every endpoint with %s (401)', async (_label, makeToken) => {
    const token = await makeToken();
    const id = await openCaseFor('ann');
    const requests: [string, string, unknown?][] = [
      ['GET', '/api/cases'],
      ['GET', `/api/cases/${id}`],
      ['POST', `/api/cases/${id}/claim`],
      ['POST', `/api/cases/${id}/messages`, { text: 'hi' }],
      ['POST', `/api/cases/${id}/notes`, { text: 'hi' }],
      ['POST', `/api/cases/${id}/resolve`, { handBack: true }],
      ['GET', '/api/agent/me'],
      ['POST', '/api/agent/logout'],
    ];
    for (const [method, path, body] of requests) {
      const answer = await call(method, path, { ...(token ? { token } : {}), ...(body ? { body } : {}) });
      expect({ path, status: answer.status, error: answer.body.error }).toEqual({
        path,
        status: 401,
        error: 'unauthorized',
      });
    }
    expect((await kit.cases.get(id)).case.status).toBe('queued');
  });

  it('refuses a token whose claims were edited, and an expired one', async () => {
    const token = await signIn(AGENTS.sam);
    expect((await call('GET', '/api/agent/me', { token: forged(token) })).status).toBe(401);
    const past = createTokenIssuer({
      secret: KIT_SECRET,
      clock: { now: () => 0 },
      ttlMs: 1000,
      directory: kit.directory,
      revoked: createMemoryStores({ retentionMs: 1000 }).revokedTokens,
    });
    expect((await call('GET', '/api/agent/me', { token: await past.issue(AGENTS.sam) })).status).toBe(401);
    expect((await call('GET', '/api/agent/me', { token })).body).toEqual({
      agent: { username: 'sam', name: 'Sam', roles: ['agent'], skills: { queues: [], languages: [] } },
    });
  });
});

describe('cases', () => {
  it('lists cases by status and rejects an unknown status', async () => {
    const id = await openCaseFor('bea');
    const token = await signIn(AGENTS.sam);
    const queued = await call<{ cases: CaseSummary[] }>('GET', '/api/cases?status=queued', { token });
    expect(queued.status).toBe(200);
    expect(queued.body.cases).toEqual([
      expect.objectContaining({
        id,
        status: 'queued',
        customerId: 'rest:bea',
        reason: { code: 'customer_request', label: 'Customer asked for a person' },
      }),
    ]);
    expect(queued.body.cases[0]).not.toHaveProperty('package');
    const assigned = await call<{ cases: CaseSummary[] }>('GET', '/api/cases?status=assigned', { token });
    expect(assigned.body.cases).toEqual([]);
    const bad = await call('GET', '/api/cases?status=lost', { token });
    expect(bad.status).toBe(400);
  });

  it('returns a case with its handoff package and the whole transcript; 404 for an unknown id', async () => {
    const id = await openCaseFor('cid');
    const token = await signIn(AGENTS.sam);
    const { status, body } = await call<{ case: Case; transcript: TranscriptEntry[] }>(
      'GET',
      `/api/cases/${id}`,
      {
        token,
      },
    );
    expect(status).toBe(200);
    expect(body.case.package.transcript.filter((l) => l.speaker === 'customer').map((l) => l.text)).toEqual([
      'my parcel never came',
      'human',
    ]);
    expect(body.transcript.map((l) => l.text ?? l.event)).toEqual(
      body.case.package.transcript.map((l) => l.text ?? l.event),
    );
    const missing = await call('GET', '/api/cases/no-such-case', { token });
    expect(missing).toEqual({ status: 404, body: { error: 'not_found', detail: expect.any(String) } });
  });

  it('gives a case one owner: a second agent gets 409, the owner may claim again', async () => {
    const id = await openCaseFor('dan');
    const sam = await signIn(AGENTS.sam);
    const alex = await signIn(AGENTS.alex);
    const claimed = await call<{ case: Case }>('POST', `/api/cases/${id}/claim`, { token: sam });
    expect(claimed.status).toBe(200);
    expect(claimed.body.case).toMatchObject({ id, status: 'assigned', owner: 'sam' });
    expect((await call('POST', `/api/cases/${id}/claim`, { token: alex })).status).toBe(409);
    expect((await call('POST', `/api/cases/${id}/claim`, { token: sam })).status).toBe(200);
    expect((await call('POST', '/api/cases/nope/claim', { token: sam })).status).toBe(404);
    const lines = (await kit.cases.get(id)).transcript.filter((l) => l.event === 'case.claimed');
    expect(lines).toHaveLength(1);
  });

  it('lets only the owner reply; replies reach a REST customer with their next request', async () => {
    const id = await openCaseFor('eve');
    const sam = await signIn(AGENTS.sam);
    const alex = await signIn(AGENTS.alex);
    expect(
      (await call('POST', `/api/cases/${id}/messages`, { token: sam, body: { text: 'early' } })).status,
    ).toBe(409);
    await call('POST', `/api/cases/${id}/claim`, { token: sam });
    const wrongOwner = await call('POST', `/api/cases/${id}/messages`, {
      token: alex,
      body: { text: 'me too' },
    });
    expect(wrongOwner.status).toBe(409);
    for (const body of [{}, { text: '' }, { text: '   ' }, { text: 42 }, { text: 'x'.repeat(2001) }]) {
      expect((await call('POST', `/api/cases/${id}/messages`, { token: sam, body })).status).toBe(400);
    }
    const sent = await call('POST', `/api/cases/${id}/messages`, {
      token: sam,
      body: { text: 'Hi, Sam here.' },
    });
    expect(sent.status).toBe(201);
    expect((await call('POST', '/api/cases/nope/messages', { token: sam, body: { text: 'x' } })).status).toBe(
      404,
    );

    // The customer's next message goes to the agent, and the waiting replies come back with it.
    expect(await customer('eve', 'thanks, it is order 1234')).toEqual([
      "You're now chatting with Sam from Acme.",
      'Hi, Sam here.',
    ]);
    expect(await customer('eve', 'still there?')).toEqual([]);
  });

  it('keeps notes internal but in the transcript', async () => {
    const id = await openCaseFor('fay');
    const sam = await signIn(AGENTS.sam);
    await call('POST', `/api/cases/${id}/claim`, { token: sam });
    expect((await call('POST', `/api/cases/${id}/notes`, { token: sam, body: { nope: 1 } })).status).toBe(
      400,
    );
    const noted = await call('POST', `/api/cases/${id}/notes`, {
      token: sam,
      body: { text: 'VIP, be kind' },
    });
    expect(noted.status).toBe(201);
    expect((await call('POST', '/api/cases/nope/notes', { token: sam, body: { text: 'x' } })).status).toBe(
      404,
    );
    expect(await customer('fay', 'hello?')).toEqual(["You're now chatting with Sam from Acme."]);
    const note = (await kit.cases.get(id)).transcript.find((l) => l.event === 'case.note');
    expect(note).toMatchObject({ speaker: 'agent', agent: 'Sam', text: 'VIP, be kind' });
  });

  it('hands back to the bot, which asks for satisfaction and records the answer', async () => {
    const id = await openCaseFor('gus');
    const sam = await signIn(AGENTS.sam);
    const alex = await signIn(AGENTS.alex);
    await call('POST', `/api/cases/${id}/claim`, { token: sam });
    await call('POST', `/api/cases/${id}/messages`, { token: sam, body: { text: 'Refund issued.' } });
    expect(
      (await call('POST', `/api/cases/${id}/resolve`, { token: alex, body: { handBack: true } })).status,
    ).toBe(409);
    for (const body of [{}, { handBack: 'yes' }, { handBack: null }]) {
      expect((await call('POST', `/api/cases/${id}/resolve`, { token: sam, body })).status).toBe(400);
    }
    const resolved = await call<{ case: Case }>('POST', `/api/cases/${id}/resolve`, {
      token: sam,
      body: { handBack: true },
    });
    expect(resolved.status).toBe(200);
    expect(resolved.body.case).toMatchObject({ status: 'resolved', owner: 'sam' });
    expect(
      (await call('POST', `/api/cases/${id}/resolve`, { token: sam, body: { handBack: true } })).status,
    ).toBe(409);
    expect(
      (await call('POST', `/api/cases/${id}/messages`, { token: sam, body: { text: 'late' } })).status,
    ).toBe(409);
    expect(
      (await call('POST', '/api/cases/nope/resolve', { token: sam, body: { handBack: true } })).status,
    ).toBe(404);

    expect(await customer('gus', 'yes')).toEqual([
      "You're now chatting with Sam from Acme.",
      'Refund issued.',
      'Sam has handed you back to me. Did we sort everything out for you?',
      'Thanks for your feedback!',
    ]);
    const lines = (await kit.cases.get(id)).transcript;
    expect(lines.map((l) => l.event ?? `${l.speaker}: ${l.text}`).slice(-9)).toEqual([
      'escalated',
      'case.claimed',
      "system: You're now chatting with Sam from Acme.",
      'agent: Refund issued.',
      'case.resolved',
      'bot: Sam has handed you back to me. Did we sort everything out for you?',
      'customer: yes',
      'satisfaction',
      'bot: Thanks for your feedback!',
    ]);
    expect(lines.find((l) => l.event === 'satisfaction')?.data).toEqual({ caseId: id, satisfied: true });
  });

  it('closes without the bot asking, and the next message goes to the bot again', async () => {
    const id = await openCaseFor('hal');
    const sam = await signIn(AGENTS.sam);
    await call('POST', `/api/cases/${id}/claim`, { token: sam });
    const closed = await call<{ case: Case }>('POST', `/api/cases/${id}/resolve`, {
      token: sam,
      body: { handBack: false },
    });
    expect(closed.body.case.status).toBe('closed');
    expect(await customer('hal', 'one more thing')).toEqual([
      "You're now chatting with Sam from Acme.",
      'Sam has closed this conversation. If you need anything else, just write here.',
      'echo: one more thing',
    ]);
  });

  it('suggests replies from similar resolved cases (agent assist)', async () => {
    const sam = await signIn(AGENTS.sam);
    const first = await openCaseFor('ivy');
    await call('POST', `/api/cases/${first}/claim`, { token: sam });
    const refund = 'I have reissued the parcel by express courier, it arrives tomorrow.';
    await call('POST', `/api/cases/${first}/messages`, { token: sam, body: { text: refund } });
    await call('POST', `/api/cases/${first}/resolve`, { token: sam, body: { handBack: true } });

    const second = await openCaseFor('jon');
    const answer = await call<{ suggestions: { text: string; fromCaseId: string }[] }>(
      'GET',
      `/api/cases/${second}/suggestions`,
      { token: sam },
    );
    expect(answer.status).toBe(200);
    expect(answer.body.suggestions).toEqual([expect.objectContaining({ text: refund, fromCaseId: first })]);
    expect((await call('GET', `/api/cases/${second}/suggestions`)).status).toBe(401);
    expect((await call('GET', '/api/cases/nope/suggestions', { token: sam })).status).toBe(404);
  });
});
