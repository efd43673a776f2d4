import { request as httpRequest } from 'node:http';
import { createHttpServer, type HttpRoute, type ParleyHttpServer } from './http-server';
import { FakeRuntime, memoryLogger } from '../../test/support/fake-runtime';

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  json: unknown;
}

/** Raw HTTP, so tests control content type, length and bytes exactly (fetch would normalise some). */
function call(base: string, method: string, path: string, body?: string | Buffer, contentType?: string) {
  return new Promise<Answer>((resolve, reject) => {
    const headers: Record<string, string | number> = {};
    if (contentType !== undefined) headers['content-type'] = contentType;
    if (body !== undefined) headers['content-length'] = Buffer.byteLength(body);
    const req = httpRequest(`${base}${path}`, { method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let json: unknown;
        try {
          json = JSON.parse(text);
        } catch {
          json = undefined;
        }
        resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json });
      });
    });
    req.on('error', reject);
    req.end(body);
  });
}

const post = (base: string, path: string, body: unknown) =>
  call(base, 'POST', path, JSON.stringify(body), 'application/json');

describe('createHttpServer', () => {
  let runtime: FakeRuntime;
  let server: ParleyHttpServer;
  let base: string;
  let logLines: { level: string; fields: object; message?: string }[];
  const extraRoute: HttpRoute = {
    method: 'POST',
    path: '/desk/cases/:id/notes',
    handle: async (req) => ({
      status: 201,
      json: { id: req.params.id, got: req.body, bytes: req.rawBody.length },
    }),
  };

  beforeEach(async () => {
    runtime = new FakeRuntime();
    logLines = [];
    let next = 0;
    server = createHttpServer({
      runtime,
      logger: memoryLogger(logLines),
      routes: [extraRoute],
      clock: { now: () => 1_700_000_000_000 },
      ids: { next: () => `generated-${++next}` },
    });
    base = (await server.listen(0)).url;
  });

  afterEach(() => server.close());

  it('answers GET /healthz, and HEAD for monitors', async () => {
    const res = await call(base, 'GET', '/healthz');
    expect(res.status).toBe(200);
    expect(res.json).toEqual({ status: 'ok' });
    const head = await call(base, 'HEAD', '/healthz');
    expect(head.status).toBe(200);
    expect(head.text).toBe('');
  });

  describe('POST /webhooks/rest/webhook (Rasa REST channel)', () => {
    it('answers one Rasa-shaped object per reply, with buttons only when there are some', async () => {
      runtime.reply = () => [
        { from: 'bot', text: 'Which order?' },
        { from: 'bot', text: 'Or pick one', buttons: [{ title: 'Track order', payload: '/order_status' }] },
      ];
      const res = await post(base, '/webhooks/rest/webhook', { sender: 'u1', message: 'where is my order' });
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toMatch(/^application\/json/);
      expect(res.json).toEqual([
        { recipient_id: 'u1', text: 'Which order?' },
        {
          recipient_id: 'u1',
          text: 'Or pick one',
          buttons: [{ title: 'Track order', payload: '/order_status' }],
        },
      ]);
      expect(runtime.handled).toEqual([
        {
          channel: 'rest',
          channelUserId: 'u1',
          conversationId: 'rest:u1',
          messageId: 'generated-1',
          kind: 'text',
          text: 'where is my order',
          timestamp: 1_700_000_000_000,
          raw: { sender: 'u1', message: 'where is my order' },
        },
      ]);
    });

    it("passes the client's metadata.message_id through, so a retry is deduplicated by the pipeline", async () => {
      const body = { sender: 'u1', message: 'hi', metadata: { message_id: 'm-42', source: 'app' } };
      await post(base, '/webhooks/rest/webhook', body);
      await post(base, '/webhooks/rest/webhook', body);
      expect(runtime.handled.map((m) => m.messageId)).toEqual(['m-42', 'm-42']);
      expect(runtime.handled[0].metadata).toEqual({ source: 'app' });
    });

    it('takes metadata.locale as the locale the channel states for the message', async () => {
      await post(base, '/webhooks/rest/webhook', {
        sender: 'u1',
        message: 'hi',
        metadata: { locale: 'es-ES' },
      });
      expect(runtime.handled[0].locale).toBe('es-ES');
      expect(runtime.handled[0].metadata).toBeUndefined();
      const bad = await post(base, '/webhooks/rest/webhook', {
        sender: 'u1',
        message: 'hi',
        metadata: { locale: 'not a locale' },
      });
      expect(bad.status).toBe(400);
    });

    it('answers an empty list when the bot says nothing', async () => {
      runtime.reply = () => [];
      const res = await post(base, '/webhooks/rest/webhook', { sender: 'u1', message: 'hi' });
      expect(res.status).toBe(200);
      expect(res.json).toEqual([]);
    });

    it.each([
      ['missing sender', { message: 'hi' }, /sender/],
      ['missing message', { sender: 'u1' }, /message/],
      ['sender not a string', { sender: 7, message: 'hi' }, /sender/],
      ['message not a string', { sender: 'u1', message: ['hi'] }, /message/],
      ['empty sender', { sender: '  ', message: 'hi' }, /sender/],
      ['metadata not an object', { sender: 'u1', message: 'hi', metadata: 'x' }, /metadata/],
      [
        'message_id not a string',
        { sender: 'u1', message: 'hi', metadata: { message_id: 5 } },
        /metadata\.message_id/,
      ],
      ['a JSON array', [], /body/],
    ])('400 for %s, naming the field', async (_case, body, field) => {
      const res = await post(base, '/webhooks/rest/webhook', body);
      expect(res.status).toBe(400);
      expect(res.json).toEqual({ error: 'invalid_request', detail: expect.stringMatching(field) });
      expect(runtime.handled).toHaveLength(0);
    });

    it('400 for invalid JSON', async () => {
      const res = await call(base, 'POST', '/webhooks/rest/webhook', '{"sender": "u1", ', 'application/json');
      expect(res.status).toBe(400);
      expect(res.json).toEqual({ error: 'invalid_json', detail: expect.stringContaining('not valid JSON') });
    });

    it('400 for an empty body', async () => {
      const res = await call(base, 'POST', '/webhooks/rest/webhook', '', 'application/json');
      expect(res.status).toBe(400);
      expect(res.json).toEqual({ error: 'invalid_json', detail: 'request body is empty' });
    });

    it('415 for a non-JSON content type', async () => {
      const res = await call(
        base,
        'POST',
        '/webhooks/rest/webhook',
        'sender=u1&message=hi',
        'application/x-www-form-urlencoded',
      );
      expect(res.status).toBe(415);
      expect(res.json).toEqual({
        error: 'unsupported_media_type',
        detail: 'content-type must be application/json, got application/x-www-form-urlencoded',
      });
    });

    it('accepts application/json with a charset, and a body without a content type', async () => {
      const body = JSON.stringify({ sender: 'u1', message: 'hi' });
      expect(
        (await call(base, 'POST', '/webhooks/rest/webhook', body, 'application/json; charset=utf-8')).status,
      ).toBe(200);
      expect((await call(base, 'POST', '/webhooks/rest/webhook', body)).status).toBe(200);
    });

    it('accepts a body of exactly 64 KB and answers 413 for 64 KB + 1 byte', async () => {
      const limit = 64 * 1024;
      // Padding goes into metadata, which has no field limit, so only the byte count differs.
      const empty = JSON.stringify({ sender: 'u1', message: 'hi', metadata: { pad: '' } });
      const sized = (bytes: number) =>
        JSON.stringify({ sender: 'u1', message: 'hi', metadata: { pad: 'x'.repeat(bytes - empty.length) } });
      expect(Buffer.byteLength(sized(limit))).toBe(limit);
      expect(Buffer.byteLength(sized(limit + 1))).toBe(limit + 1);

      const ok = await call(base, 'POST', '/webhooks/rest/webhook', sized(limit), 'application/json');
      expect(ok.status).toBe(200);

      const big = await call(base, 'POST', '/webhooks/rest/webhook', sized(limit + 1), 'application/json');
      expect(big.status).toBe(413);
      expect(big.json).toEqual({ error: 'payload_too_large', detail: 'request body exceeds 65536 bytes' });
      expect(runtime.handled).toHaveLength(1);
    });

    it('413 for an oversized body sent without a content-length (chunked)', async () => {
      const res = await new Promise<Answer>((resolve, reject) => {
        const req = httpRequest(
          `${base}/webhooks/rest/webhook`,
          { method: 'POST', headers: { 'content-type': 'application/json', 'transfer-encoding': 'chunked' } },
          (response) => {
            const chunks: Buffer[] = [];
            response.on('data', (chunk: Buffer) => chunks.push(chunk));
            response.on('end', () => {
              const text = Buffer.concat(chunks).toString('utf8');
              resolve({
                status: response.statusCode ?? 0,
                headers: response.headers,
                text,
                json: JSON.parse(text),
              });
            });
          },
        );
        req.on('error', reject);
        for (let i = 0; i < 9; i += 1) req.write('x'.repeat(8 * 1024));
        req.end();
      });
      expect(res.status).toBe(413);
      expect(res.json).toEqual({ error: 'payload_too_large', detail: 'request body exceeds 65536 bytes' });
    });

    it('answers a neutral 500 when the runtime fails, and logs the detail', async () => {
      runtime.reply = () => {
        throw new Error('redis connection refused at 10.0.0.7:6379');
      };
      const res = await post(base, '/webhooks/rest/webhook', { sender: 'u1', message: 'hi' });
      expect(res.status).toBe(500);
      expect(res.json).toEqual({ error: 'internal_error', detail: expect.any(String) });
      expect(res.text).not.toMatch(/redis|10\.0\.0\.7|Error/);
      expect(logLines).toContainEqual(
        expect.objectContaining({
          level: 'error',
          fields: expect.objectContaining({ conversationId: 'rest:u1' }),
        }),
      );
    });
  });

  describe('POST /model/parse', () => {
    it("answers Rasa's parse shape", async () => {
      const res = await post(base, '/model/parse', { text: 'where is order A-1001' });
      expect(res.status).toBe(200);
      expect(res.json).toEqual({
        text: 'where is order A-1001',
        intent: { name: 'order_status', confidence: 0.91 },
        entities: [{ entity: 'order_id', value: 'A-1001', text: 'A-1001', start: 0, end: 6 }],
        intent_ranking: [
          { name: 'order_status', confidence: 0.91 },
          { name: 'greet', confidence: 0.05 },
        ],
      });
    });

    it('400 without text', async () => {
      const res = await post(base, '/model/parse', { message: 'hi' });
      expect(res.status).toBe(400);
      expect(res.json).toEqual({ error: 'invalid_request', detail: expect.stringMatching(/^text:/) });
    });
  });

  describe('extension routes', () => {
    it('mounts routes from other modules with params, the parsed body and the raw bytes', async () => {
      const res = await post(base, '/desk/cases/c-9/notes', { note: 'called back' });
      expect(res.status).toBe(201);
      expect(res.json).toEqual({
        id: 'c-9',
        got: { note: 'called back' },
        bytes: JSON.stringify({ note: 'called back' }).length,
      });
    });

    it('applies the same body rules to them', async () => {
      const res = await call(base, 'POST', '/desk/cases/c-9/notes', '{', 'application/json');
      expect(res.status).toBe(400);
    });
  });

  it("answers unknown paths with Parley's error shape", async () => {
    const res = await call(base, 'GET', '/nope');
    expect(res.status).toBe(404);
    expect(res.json).toEqual({ error: 'not_found', detail: 'no route for GET /nope' });
  });

  it('serves the chat page at / with a strict content security policy', async () => {
    const res = await call(base, 'GET', '/');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(res.headers['content-security-policy']).toContain("script-src 'self'");
    expect(res.text).toContain('<title>Chat</title>');
    expect(res.text).toContain('data-socket-path="/webchat/socket"');
    const script = await call(base, 'GET', '/chat/chat.js');
    expect(script.headers['content-type']).toBe('text/javascript; charset=utf-8');
  });
});

describe('createHttpServer health checks', () => {
  it('reports 503 with the failing check named, without its error', async () => {
    const logLines: { level: string; fields: object }[] = [];
    const server = createHttpServer({
      runtime: new FakeRuntime(),
      logger: memoryLogger(logLines),
      webChat: false,
      healthChecks: [
        { name: 'memory', check: async () => undefined },
        { name: 'redis', check: async () => Promise.reject(new Error('ECONNREFUSED 10.0.0.7')) },
      ],
    });
    const { url } = await server.listen(0);
    try {
      const res = await call(url, 'GET', '/healthz');
      expect(res.status).toBe(503);
      expect(res.json).toEqual({
        status: 'degraded',
        checks: {
          memory: { status: 'ok', latencyMs: expect.any(Number) },
          redis: { status: 'failing', latencyMs: expect.any(Number) },
        },
      });
      expect(JSON.stringify(res.json)).not.toContain('10.0.0.7');
      const ready = await call(url, 'GET', '/readyz');
      expect(ready.status).toBe(503);
      expect(ready.json).toEqual({ status: 'not_ready', failing: ['redis'] });
      expect((await call(url, 'GET', '/')).status).toBe(404);
    } finally {
      await server.close();
    }
  });
});
