import { WebSocket } from 'ws';
import type { Stores } from '../../core/ports';
import { createMemoryStores } from '../../stores/memory';
import { createRedisStores } from '../../stores/redis';
import { startDeskKit, type DeskKit } from '../handoff/support/desk-kit';
import { startRedisServer, type RedisServer } from '../support/redis-server';

/**
 * The hostile-input findings of issue #12, each reproduced over a whole server on both stores: a deep
 * `metadata` overflowed the stack of the schema check (500), and a lone UTF-16 surrogate in a sender or
 * message id made Redis key encoding throw (500). Every answer must also carry `nosniff`.
 */

const retentionMs = 60_000;
let redis: RedisServer;

beforeAll(async () => {
  redis = await startRedisServer();
});
afterAll(async () => {
  await redis?.stop();
});

const backends: Array<[string, () => Promise<Stores>]> = [
  ['memory', async () => createMemoryStores({ retentionMs })],
  [
    'redis',
    () =>
      createRedisStores({
        url: redis.url,
        retentionMs,
        keyPrefix: `findings${Math.random()}`.replace('.', ''),
      }),
  ],
];

function post(kit: DeskKit, path: string, body: string, contentType = 'application/json') {
  return fetch(`${kit.address.url}${path}`, {
    method: 'POST',
    body,
    headers: { 'content-type': contentType },
  });
}

const nested = (depth: number) => `${'['.repeat(depth)}${']'.repeat(depth)}`;

describe.each(backends)('hostile input on the %s store', (_name, makeStores) => {
  let kit: DeskKit;
  beforeAll(async () => {
    kit = await startDeskKit({ stores: await makeStores() });
  });
  afterAll(async () => {
    await kit?.close();
    await kit?.runtime.stores.close();
  });

  it('answers a deeply nested metadata with 400 naming the depth limit, not a stack overflow', async () => {
    for (const depth of [40, 5_000, 20_000]) {
      const body = `{"sender":"deep","message":"hi","metadata":{"x":${nested(depth)}}}`;
      const res = await post(kit, '/webhooks/rest/webhook', body);
      expect(res.status).toBe(400);
      const json = (await res.json()) as { error: string; detail: string };
      expect(json.error).toBe('json_limit_exceeded');
      expect(json.detail).toMatch(/nested deeper than 32 levels .*maxDepth/);
    }
    // Realistic metadata still passes.
    const ok = await post(
      kit,
      '/webhooks/rest/webhook',
      '{"sender":"deep","message":"hi","metadata":{"a":{"b":[1,{"c":2}]}}}',
    );
    expect(ok.status).toBe(200);
  });

  it.each([
    [
      'a lone high surrogate sender',
      '{"sender":"a\\ud800b","message":"hi"}',
      /sender: .*lone UTF-16 surrogate/,
    ],
    ['a lone low surrogate sender', '{"sender":"\\udc00","message":"hi"}', /sender: .*lone UTF-16 surrogate/],
    [
      'a lone surrogate message id',
      '{"sender":"ok","message":"hi","metadata":{"message_id":"m\\ud83d"}}',
      /metadata\.message_id: .*lone UTF-16 surrogate/,
    ],
    ['a control character in the sender', '{"sender":"a\\u0000b","message":"hi"}', /sender: .*control/],
    ['an over-long sender', JSON.stringify({ sender: 'x'.repeat(129), message: 'hi' }), /sender: .*128/],
  ])('refuses %s with a 400 that says why', async (_what, body, reason) => {
    const res = await post(kit, '/webhooks/rest/webhook', body);
    expect(res.status).toBe(400);
    expect(((await res.json()) as { detail: string }).detail).toMatch(reason);
  });

  it('keeps well-formed non-ASCII ids working (emoji, accents)', async () => {
    const res = await post(
      kit,
      '/webhooks/rest/webhook',
      JSON.stringify({ sender: 'zoë-😀', message: 'hi' }),
    );
    expect(res.status).toBe(200);
  });

  it('sends nosniff on every answer, restify’s own included', async () => {
    const base = kit.address.url;
    const answers = await Promise.all([
      fetch(`${base}/no-such-route`),
      fetch(`${base}/webhooks/rest/webhook`, { method: 'PUT', body: '{}' }),
      fetch(`${base}/webhooks/rest/webhook`, {
        method: 'POST',
        body: 'x',
        headers: { 'content-type': 'text/plain' },
      }),
      post(kit, '/webhooks/rest/webhook', JSON.stringify({ sender: 'big', message: 'x'.repeat(70_000) })),
      fetch(`${base}/api/cases/x`, { headers: { authorization: 'Bearer nope' } }),
      fetch(`${base}/api/cases/%E0%A4%A`),
      fetch(`${base}/%ED%A0%80`),
      fetch(`${base}/${'x'.repeat(20_000)}`), // Node's parser answers this one before restify sees it
      fetch(`${base}/healthz`),
    ]);
    expect(answers.map((res) => res.status)).toEqual([404, 405, 415, 413, 401, 404, 404, 431, 200]);
    for (const res of answers) expect(res.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it('sends nosniff on refused WebSocket upgrades too', async () => {
    const ws = kit.address.url.replace('http', 'ws');
    const refusals = await Promise.all([
      refusedUpgrade(`${ws}/no-such-socket`),
      refusedUpgrade(`${ws}/api/agent/socket?token=forged`),
      refusedUpgrade(`${ws}/webchat/socket`, { origin: 'https://evil.example' }),
    ]);
    expect(refusals).toEqual([
      { status: 404, nosniff: 'nosniff' },
      { status: 401, nosniff: 'nosniff' },
      { status: 403, nosniff: 'nosniff' },
    ]);
  });

  it('answers a deep web chat frame with an error frame naming the limit, and keeps the socket', async () => {
    const socket = new WebSocket(`${kit.address.url.replace('http', 'ws')}/webchat/socket`);
    const frames: Array<{ type: string; error?: string; detail?: string }> = [];
    socket.on('message', (data: Buffer) =>
      frames.push(JSON.parse(data.toString()) as (typeof frames)[number]),
    );
    await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject));
    socket.send(`{"type":"hello","extra":${nested(1_500)}}`);
    socket.send('{"type":"hello"}');
    await waitUntil(() => frames.some((frame) => frame.type === 'ready'));
    socket.close();
    expect(frames[0]).toEqual({
      type: 'error',
      error: 'bad_frame',
      detail: expect.stringMatching(/nested deeper than 32 levels .*maxDepth/),
    });
  });
});

describe('the Redis stores, given ids no edge should have let through', () => {
  it('never throw on a lone surrogate, and keep such ids apart', async () => {
    const stores = await createRedisStores({ url: redis.url, retentionMs, keyPrefix: 'lone' });
    try {
      const ids = ['c\ud800', 'c\udc00', 'c\ufffd', 'c%uD800'];
      for (const [index, id] of ids.entries()) {
        await stores.processed.put(id, `m\udfff${index}`, [{ from: 'bot', text: String(index) }]);
      }
      for (const [index, id] of ids.entries()) {
        expect(await stores.processed.get(id, `m\udfff${index}`)).toEqual([
          { from: 'bot', text: String(index) },
        ]);
      }
      await expect(stores.conversations.get('\ud83d')).resolves.toBeUndefined();
      await expect(stores.cases.get('\udc00')).resolves.toBeUndefined();
    } finally {
      await stores.close();
    }
  });
});

async function waitUntil(check: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

function refusedUpgrade(url: string, headers: Record<string, string> = {}) {
  return new Promise<{ status?: number; nosniff?: string | string[] }>((resolve, reject) => {
    const socket = new WebSocket(url, { headers });
    socket.once('open', () => reject(new Error(`${url} was accepted`)));
    socket.once('unexpected-response', (_request, response) => {
      resolve({ status: response.statusCode, nosniff: response.headers['x-content-type-options'] });
      socket.terminate();
    });
    socket.once('error', () => undefined);
  });
}
