import { WebSocket } from 'ws';
import { buildRuntime, loadBotDefinition } from '../../app/bootstrap';
import { loadConfig } from '../../app/config';
import { createHttpServer, type ParleyHttpServer } from './http-server';
import { memoryLogger } from '../../test/support/fake-runtime';
import type { ParleyRuntime } from '../../app/runtime';

/** The real Acme bot (NLU, flows, pipeline, memory stores) behind the real server: REST and web chat. */
describe('HTTP server with the Acme runtime', () => {
  let runtime: ParleyRuntime;
  let server: ParleyHttpServer;
  let base: string;

  beforeAll(async () => {
    const config = { ...loadConfig({}), store: { kind: 'memory' as const } };
    runtime = await buildRuntime(loadBotDefinition('acme'), config, { logger: memoryLogger() });
    server = createHttpServer({ runtime, logger: memoryLogger() });
    base = (await server.listen(0)).url;
  }, 60_000);

  afterAll(async () => {
    await server?.close();
    await runtime?.close();
  });

  const rest = async (body: unknown) => {
    const res = await fetch(`${base}/webhooks/rest/webhook`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    return { status: res.status, json: (await res.json()) as { recipient_id: string; text: string }[] };
  };

  it('answers a REST client in Rasa shape and follows the order-status flow', async () => {
    const first = await rest({ sender: 'int-1', message: 'where is my order?' });
    expect(first.status).toBe(200);
    expect(first.json).toEqual([{ recipient_id: 'int-1', text: expect.stringMatching(/order number/i) }]);
    const second = await rest({ sender: 'int-1', message: 'A1001' });
    expect(second.json[0].text).toMatch(/A1001/);
  });

  it('answers a retried message_id from the record instead of running the turn again', async () => {
    const body = { sender: 'int-2', message: 'where is my order?', metadata: { message_id: 'retry-1' } };
    const first = await rest(body);
    const retry = await rest(body);
    // A processed retry would meet the flow already waiting for a number and get its reprompt instead.
    expect(retry.json).toEqual(first.json);
    const next = await rest({ sender: 'int-2', message: 'A1001' });
    expect(next.json[0].text).toMatch(/A1001/);
  });

  it('parses with the real NLU on /model/parse', async () => {
    const res = await fetch(`${base}/model/parse`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ text: 'where is my order A1001' }),
    });
    const json = (await res.json()) as {
      intent: { name: string; confidence: number };
      intent_ranking: unknown[];
    };
    expect(json.intent.name).toBe('order_status');
    expect(json.intent.confidence).toBeGreaterThan(0.5);
    expect(json.intent_ranking.length).toBeGreaterThan(1);
  });

  it('greets a web chat session, answers a quick-reply payload and delivers an agent push live', async () => {
    const socket = new WebSocket(`${base.replace('http', 'ws')}/webchat/socket`);
    const frames: { type: string; sessionId?: string; reply?: { text: string; from: string } }[] = [];
    socket.on('message', (data) => frames.push(JSON.parse(String(data)) as (typeof frames)[number]));
    await new Promise((resolve) => socket.once('open', resolve));
    const replies = () => frames.filter((f) => f.type === 'reply').map((f) => f.reply);
    const until = async (count: number) => {
      const deadline = Date.now() + 5000;
      while (replies().length < count && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      return replies();
    };
    try {
      socket.send(JSON.stringify({ type: 'hello' }));
      expect((await until(1))[0]).toMatchObject({
        from: 'bot',
        text: expect.stringMatching(/Acme assistant/),
      });
      socket.send(JSON.stringify({ type: 'message', id: 'q1', text: '/order_status' }));
      expect((await until(2))[1]?.text).toMatch(/order number/i);

      const sessionId = frames.find((f) => f.type === 'ready')?.sessionId;
      await runtime.push(`webchat:${sessionId}`, { from: 'agent', agentName: 'Dana', text: 'Dana here.' });
      expect((await until(3))[2]).toEqual({ from: 'agent', agentName: 'Dana', text: 'Dana here.' });
    } finally {
      socket.close();
    }
  });
});
