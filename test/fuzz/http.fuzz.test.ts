import fc from 'fast-check';
import { LONE_SURROGATE } from '../../core/identifiers';
import { startRedisServer, type RedisServer } from '../support/redis-server';
import { FUZZ_RUNS, FUZZ_SEED, hostileString, httpPayload, type HttpPayload } from './support/payloads';
import { startFuzzServer, Tally, type Backend, type FuzzServer } from './support/fuzz-server';

/**
 * Every unauthenticated HTTP endpoint (and the agent API with a valid token) fed malformed requests:
 * each must answer 2xx or 4xx within a few seconds, never 5xx, and log no error. Runs per endpoint come
 * from PARLEY_FUZZ_RUNS (small by default so CI stays fast; `PARLEY_FUZZ_RUNS=10000 npx jest test/fuzz`).
 */

const ANSWER_TIMEOUT_MS = 5_000;
let redis: RedisServer;

beforeAll(async () => {
  redis = await startRedisServer();
});
afterAll(async () => {
  await redis?.stop();
});

interface Sent {
  method: string;
  path: string;
  payload?: HttpPayload;
  headers?: Record<string, string>;
}

async function send(server: FuzzServer, request: Sent): Promise<number> {
  const headers: Record<string, string> = { ...request.headers };
  if (request.payload?.contentType !== undefined) headers['content-type'] = request.payload.contentType;
  const res = await fetch(`${server.url}${request.path}`, {
    method: request.method,
    headers,
    ...(request.payload ? { body: new Uint8Array(request.payload.body) } : {}),
    signal: AbortSignal.timeout(ANSWER_TIMEOUT_MS),
  });
  await res.arrayBuffer();
  expect(res.headers.get('x-content-type-options')).toBe('nosniff');
  return res.status;
}

async function campaign(server: FuzzServer, name: string, requests: fc.Arbitrary<Sent>): Promise<void> {
  const tally = new Tally();
  await fc.assert(
    fc.asyncProperty(requests, async (request) => {
      const status = await send(server, request);
      tally.add(status);
      expect(status).toBeGreaterThanOrEqual(200);
      expect(status).toBeLessThan(500);
    }),
    { numRuns: FUZZ_RUNS, seed: FUZZ_SEED, endOnFailure: true },
  );
  expect(server.errors).toEqual([]);
  // Still serving after the campaign.
  expect(await send(server, { method: 'GET', path: '/healthz' })).toBe(200);
  if (process.env.PARLEY_FUZZ_RUNS) process.stdout.write(`${tally.summary(name)}\n`);
}

const post = (path: string, fields: readonly string[], valid: Record<string, unknown>) =>
  httpPayload(fields, valid).map((payload): Sent => ({ method: 'POST', path, payload }));

/** A path segment as a client may spell it: escaped lone surrogates, broken escapes, dots, the real id. */
function caseSegment(realId: string): fc.Arbitrary<string> {
  return fc.oneof(
    fc.constant(realId),
    hostileString.filter((s) => s.length < 300).map((s) => encodeURIComponent(wellFormed(s))),
    fc.constantFrom('%ED%A0%80', '%E0%A4%A', '%', '%%', '..', '%2e%2e', '%00', '%FF%FE', 'a%2Fb', '%C0%AF'),
  );
}

/** A lone surrogate cannot be URI-encoded by the client either; its UTF-8 escape is tried separately. */
const wellFormed = (text: string) => text.replace(LONE_SURROGATE, '\ufffd');

const AGENT_ROUTES = ['claim', 'messages', 'notes', 'resolve', 'suggestions', ''] as const;

function agentRequest(server: FuzzServer): fc.Arbitrary<Sent> {
  const auth = { authorization: `Bearer ${server.token}` };
  return fc.oneof(
    fc
      .tuple(
        caseSegment(server.caseId),
        fc.constantFrom(...AGENT_ROUTES),
        httpPayload(['text', 'handBack'], { text: 'hello' }),
      )
      .map(([id, action, payload]): Sent => {
        const path = `/api/cases/${id}${action ? `/${action}` : ''}`;
        const method = action === '' || action === 'suggestions' ? 'GET' : 'POST';
        return method === 'GET' ? { method, path, headers: auth } : { method, path, payload, headers: auth };
      }),
    fc
      .oneof(hostileString, fc.constantFrom('queued', 'assigned', 'resolved', 'closed'))
      .map((status): Sent => ({
        method: 'GET',
        path: `/api/cases?status=${encodeURIComponent(wellFormed(status))}&status=x`,
        headers: auth,
      })),
    fc.constant<Sent>({ method: 'GET', path: '/api/agent/me', headers: auth }),
    fc
      .constantFrom('PUT', 'DELETE', 'PATCH')
      .map((method): Sent => ({ method, path: `/api/cases/${server.caseId}`, headers: auth })),
  );
}

describe.each<Backend>(['memory', 'redis'])('HTTP fuzz on the %s store', (backend) => {
  let server: FuzzServer;
  beforeAll(async () => {
    server = await startFuzzServer(backend, () => redis);
  });
  afterAll(async () => {
    await server?.close();
  });

  it('REST webhook: never 5xx', async () => {
    await campaign(
      server,
      `${backend} POST /webhooks/rest/webhook`,
      post('/webhooks/rest/webhook', ['sender', 'message', 'metadata'], { sender: 'fuzz', message: 'hi' }),
    );
  }, 600_000);

  it('/model/parse: never 5xx', async () => {
    await campaign(
      server,
      `${backend} POST /model/parse`,
      post('/model/parse', ['text'], { text: 'where is my order' }),
    );
  }, 600_000);

  it('agent login: never 5xx', async () => {
    await campaign(
      server,
      `${backend} POST /api/agent/login`,
      post('/api/agent/login', ['username', 'password'], { username: 'alex', password: 'wrong' }),
    );
  }, 600_000);

  it('agent API with a valid token: never 5xx', async () => {
    await campaign(server, `${backend} agent API`, agentRequest(server));
  }, 600_000);
});
