import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { readArticles } from './articles';
import { createKnowledgeBase } from './knowledge-base';
import { interpret } from './llm';

const ACME = readArticles(join(__dirname, '..', 'bots', 'acme', 'knowledge'));

interface ChatRequest {
  model: string;
  temperature: number;
  messages: { role: string; content: string }[];
}

/**
 * A local server speaking OpenAI's chat completions protocol. Its "model" is a script the test sets:
 * it sees the request exactly as a real server would and answers in the real response shape.
 */
class FakeCompletions {
  requests: { body: ChatRequest; authorization?: string }[] = [];
  respond: (body: ChatRequest) => { status?: number; content?: string | null; delayMs?: number } = () => ({
    content: 'NO_ANSWER',
  });
  private server!: Server;

  async start(): Promise<string> {
    this.server = createServer((req, res) => {
      void this.handle(req).then(({ status, payload, delayMs }) => {
        setTimeout(() => {
          res.writeHead(status, { 'content-type': 'application/json' });
          res.end(JSON.stringify(payload));
        }, delayMs);
      });
    });
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/v1`;
  }

  private async handle(req: IncomingMessage): Promise<{ status: number; payload: object; delayMs: number }> {
    let raw = '';
    for await (const chunk of req) raw += String(chunk);
    if (req.method !== 'POST' || req.url !== '/v1/chat/completions') {
      return { status: 404, payload: { error: { message: 'not found' } }, delayMs: 0 };
    }
    const body = JSON.parse(raw) as ChatRequest;
    this.requests.push({
      body,
      ...(req.headers.authorization ? { authorization: req.headers.authorization } : {}),
    });
    const { status = 200, content = null, delayMs = 0 } = this.respond(body);
    const payload =
      status === 200
        ? {
            id: 'chatcmpl-1',
            object: 'chat.completion',
            model: body.model,
            choices: [{ index: 0, finish_reason: 'stop', message: { role: 'assistant', content } }],
          }
        : { error: { message: 'overloaded' } };
    return { status, payload, delayMs };
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

describe('generated answers from an OpenAI-compatible endpoint', () => {
  const llm = new FakeCompletions();
  let url: string;
  beforeAll(async () => {
    url = await llm.start();
  });
  afterAll(() => llm.close());
  beforeEach(() => {
    llm.requests = [];
  });

  const kb = () =>
    createKnowledgeBase(ACME, {
      llm: { url, model: 'local-model', apiKey: 'sk-test', timeoutMs: 500 },
      company: 'Acme',
    });

  it('sends only the retrieved sections and the question, and returns the cited answer', async () => {
    llm.respond = (body) => {
      const sections = body.messages[1].content;
      const number = /\[(\d)\] Billing and payments — Ways to pay/.exec(sections)?.[1];
      return { content: `No, we don't take cheques; pay by Direct Debit or card instead [${number}].` };
    };
    const answer = await kb().answer({ text: 'can I pay by cheque?', locale: 'en' });
    expect(answer).toMatchObject({
      kind: 'generated',
      text: "No, we don't take cheques; pay by Direct Debit or card instead.",
      sources: [{ id: 'billing#ways-to-pay' }],
    });
    const [request] = llm.requests;
    expect(request.authorization).toBe('Bearer sk-test');
    expect(request.body).toMatchObject({ model: 'local-model', temperature: 0 });
    expect(request.body.messages[0]).toMatchObject({
      role: 'system',
      content: expect.stringContaining('ONLY'),
    });
    expect(request.body.messages[0].content).toContain('for Acme');
    const user = request.body.messages[1].content;
    expect(user).toContain('Question: can I pay by cheque?');
    expect(user).toContain('We do not accept cheques');
    // Only the closest sections go: never the whole help centre.
    expect((user.match(/^\[\d\] /gm) ?? []).length).toBeLessThanOrEqual(3);
    expect(user).not.toContain('WPS');
  });

  it('falls back (no answer) when the model refuses or cites nothing it was given', async () => {
    llm.respond = () => ({ content: 'NO_ANSWER' });
    expect(await kb().answer({ text: 'can I pay by cheque?', locale: 'en' })).toBeUndefined();
    llm.respond = () => ({ content: 'We take cheques gladly.' });
    expect(await kb().answer({ text: 'can I pay by cheque?', locale: 'en' })).toBeUndefined();
    llm.respond = () => ({ content: 'We take cheques gladly [7].' });
    expect(await kb().answer({ text: 'can I pay by cheque?', locale: 'en' })).toBeUndefined();
  });

  it('answers with the extract when the endpoint fails or is too slow', async () => {
    llm.respond = () => ({ status: 503 });
    expect(await kb().answer({ text: 'can I pay by cheque?', locale: 'en' })).toMatchObject({
      kind: 'extract',
    });
    llm.respond = () => ({ content: 'late [1]', delayMs: 1500 });
    expect(await kb().answer({ text: 'can I pay by cheque?', locale: 'en' })).toMatchObject({
      kind: 'extract',
    });
  });

  it('never sends card or account questions to the model', async () => {
    llm.respond = () => ({ content: 'anything [1]' });
    const answer = await kb().answer({ text: 'can I pay by card [card number removed]?', locale: 'en' });
    expect(llm.requests).toEqual([]);
    expect(answer?.kind ?? 'none').not.toBe('generated');
  });

  it('does not ask the model when no section is close enough', async () => {
    expect(await kb().answer({ text: 'what is the capital of Peru?', locale: 'en' })).toBeUndefined();
    expect(llm.requests).toEqual([]);
  });

  it('reads citations of several sections and strips the markers', () => {
    const [a, b] = ACME;
    expect(interpret('Both apply [1, 2].', [a, b])).toEqual({
      kind: 'answer',
      text: 'Both apply.',
      cited: [a, b],
    });
    expect(interpret('', [a])).toEqual({ kind: 'refused', reason: 'empty' });
  });
});
