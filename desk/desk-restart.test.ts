import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { HttpRequest, HttpResponse, HttpRoute } from '../core/http';
import type { Stores } from '../core/ports';
import { createRuntime } from '../app/runtime';
import { createRedisStores } from '../stores/redis';
import { silentLogger } from '../stores/silent-logger';
import { startRedisServer, type RedisServer } from '../test/support/redis-server';
import { kitDialog, kitNlu } from '../test/handoff/support/desk-kit';
import { setUpAgentDesk } from './setup';

let redis: RedisServer;
const open: Stores[] = [];
beforeAll(async () => (redis = await startRedisServer()));
afterAll(async () => {
  await Promise.all(open.map((s) => s.close()));
  await redis.stop();
});

const demoAgent = { username: 'demo', password: 'parley-demo' };

/** One server process's desk over the shared Redis, as `npm start` sets it up. */
async function startProcess(secretFile: string): Promise<HttpRoute[]> {
  const stores = await createRedisStores({ url: redis.url, retentionMs: 3_600_000, keyPrefix: 'restart' });
  open.push(stores);
  const clock = { now: () => Date.now() };
  const runtime = createRuntime({
    stores,
    nlu: kitNlu,
    dialog: kitDialog,
    redact: (text) => ({ text, redactions: [] }),
    logger: silentLogger,
    clock,
  });
  const desk = await setUpAgentDesk(
    { demoAgent, tokenSecretFile: secretFile },
    { stores, delivery: runtime, logger: silentLogger, clock },
  );
  return desk.routes;
}

function call(routes: HttpRoute[], method: string, path: string, token?: string, body?: unknown) {
  const route = routes.find((r) => r.method === method && r.path === path);
  if (!route) throw new Error(`no route ${method} ${path}`);
  const request: HttpRequest = {
    method: method as HttpRequest['method'],
    path,
    params: {},
    query: new URLSearchParams(),
    headers: token ? { authorization: `Bearer ${token}` } : {},
    body,
    rawBody: Buffer.alloc(0),
    remoteAddress: '127.0.0.1',
  };
  return route.handle(request) as Promise<HttpResponse & { json: Record<string, unknown> }>;
}

describe('desk sessions across a restart', () => {
  it('keeps a token valid on the restarted process (same secret file), and its sign-out too', async () => {
    const secretFile = join(mkdtempSync(join(tmpdir(), 'desk-')), 'agent-token-secret');
    const before = await startProcess(secretFile);
    const login = await call(before, 'POST', '/api/agent/login', undefined, demoAgent);
    const token = String(login.json.token);

    const after = await startProcess(secretFile);
    expect(await call(after, 'GET', '/api/agent/me', token)).toMatchObject({
      status: 200,
      json: { agent: { username: 'demo', roles: ['agent'] } },
    });
    await call(after, 'POST', '/api/agent/logout', token);
    expect(await call(before, 'GET', '/api/agent/me', token)).toMatchObject({
      status: 401,
      json: { reason: 'revoked' },
    });

    // A process with another secret tells the agent why their sign-in no longer works.
    const elsewhere = await startProcess(join(mkdtempSync(join(tmpdir(), 'desk-')), 'secret'));
    const fresh = String((await call(before, 'POST', '/api/agent/login', undefined, demoAgent)).json.token);
    expect(await call(elsewhere, 'GET', '/api/agent/me', fresh)).toMatchObject({
      status: 401,
      json: { reason: 'secret_changed', detail: expect.stringMatching(/sign-in key changed/) },
    });
  });
});
