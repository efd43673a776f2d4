import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { HttpRequest, HttpResponse, HttpRoute } from '../../core/http';
import { createAgentDirectory, hashPassword } from '../../desk/agents';
import { createTokenIssuer, type TokenIssuer } from '../../desk/tokens';
import { bot as acme } from '../../bots/acme';
import { trainBotNlu, type NluModel } from '../../nlu';
import { createMemoryStores } from '../../stores/memory';
import { silentLogger } from '../../stores/silent-logger';
import { createDesigner, type DesignerAccess } from '.';
import { customerLinesOf } from './replay';

const clock = { now: () => Date.UTC(2025, 5, 2, 9, 0) };

function request(
  method: 'GET' | 'POST',
  path: string,
  options: { body?: unknown; token?: string } = {},
): HttpRequest {
  return {
    method,
    path,
    params: {},
    query: new URLSearchParams(),
    headers: options.token ? { authorization: `Bearer ${options.token}` } : {},
    body: options.body,
    rawBody: Buffer.alloc(0),
  };
}

describe('the flow viewer API', () => {
  let nlu: NluModel;
  let tokens: TokenIssuer;
  const stores = createMemoryStores({ retentionMs: 60_000, logger: silentLogger });

  const routesFor = (access: DesignerAccess): HttpRoute[] =>
    createDesigner({
      bot: acme,
      runtime: { parse: (text) => nlu.parse(text), stores },
      access,
      logger: silentLogger,
      clock,
    }).routes;
  const call = async (routes: HttpRoute[], req: HttpRequest): Promise<HttpResponse & { json?: unknown }> => {
    const route = routes.find((r) => r.method === req.method && r.path === req.path);
    if (!route) throw new Error(`no route ${req.method} ${req.path}`);
    return route.handle(req) as Promise<HttpResponse & { json?: unknown }>;
  };

  beforeAll(async () => {
    nlu = await trainBotNlu(join(acme.directory, 'nlu'));
    const cost = { N: 1024, r: 8, p: 1 };
    const directory = await createAgentDirectory([
      {
        username: 'dana',
        name: 'Dana',
        roles: ['designer'],
        passwordHash: await hashPassword('pw-dana-1234', cost),
      },
      { username: 'sam', name: 'Sam', passwordHash: await hashPassword('pw-sam-12345', cost) },
    ]);
    tokens = createTokenIssuer({
      secret: 'a-test-secret-of-32-characters!!',
      clock,
      directory,
      revoked: stores.revokedTokens,
    });
  });
  afterAll(() => stores.close());

  it('lists every flow with its spec and a Mermaid state diagram', async () => {
    const response = await call(routesFor({ mode: 'open' }), request('GET', '/designer/api/flows'));
    expect(response.status).toBe(200);
    const body = response.json as {
      bot: string;
      flows: Array<{ id: string; mermaid: string; spec: { states: object } }>;
    };
    expect(body.bot).toBe('acme');
    expect(body.flows).toHaveLength(flowFiles(acme.directory));
    const order = body.flows.find((flow) => flow.id === 'order_status');
    expect(order?.mermaid).toMatch(/^stateDiagram-v2\n/);
    expect(order?.mermaid).toContain('get_order --> look_up : filled');
    expect(Object.keys(order?.spec.states ?? {})).toContain('look_up');
  });

  it('outside development, needs a desk account with the designer role', async () => {
    const routes = routesFor({ mode: 'designer-role', verify: (token) => tokens.verify(token) });
    const flows = (token?: string) =>
      call(routes, request('GET', '/designer/api/flows', token ? { token } : {}));
    expect((await flows()).status).toBe(401);
    expect((await flows('not-a-token')).status).toBe(401);
    expect((await flows(await tokens.issue({ username: 'sam', name: 'Sam' }))).status).toBe(403);
    const designer = await tokens.issue({ username: 'dana', name: 'Dana', roles: ['designer'] });
    expect((await flows(designer)).status).toBe(200);
    const parse = await call(routes, request('POST', '/designer/api/parse', { body: { text: 'hi' } }));
    expect(parse.status).toBe(401);
    // The page itself carries nothing secret: it loads, then asks for a sign-in.
    expect((await call(routes, request('GET', '/designer'))).status).toBe(200);
  });

  it('says what the NLU makes of a sentence: ranking, entities, language', async () => {
    const response = await call(
      routesFor({ mode: 'open' }),
      request('POST', '/designer/api/parse', { body: { text: 'where is my order A1001?' } }),
    );
    expect(response.status).toBe(200);
    const body = response.json as {
      locale: string;
      intent: { name: string };
      ranking: Array<{ name: string; confidence: number }>;
      entities: Array<{ entity: string; value: unknown }>;
    };
    expect(body.intent.name).toBe('order_status');
    expect(body.locale).toBe('en');
    expect(body.ranking.length).toBeGreaterThan(1);
    expect(body.ranking[0]?.confidence).toBeGreaterThanOrEqual(body.ranking[1]?.confidence ?? 1);
    expect(body.entities.map((entity) => entity.value)).toContain('A1001');
  });

  it('replays a pasted transcript on the current flows and names the states it visited', async () => {
    const response = await call(
      routesFor({ mode: 'open' }),
      request('POST', '/designer/api/replay', {
        body: { transcript: 'user> where is my order?\nbot> Which one?\nuser> A1001' },
      }),
    );
    expect(response.status).toBe(200);
    const body = response.json as {
      turns: Array<{ text: string; steps: unknown[] }>;
      visited: Record<string, { states: string[]; transitions: string[] }>;
    };
    expect(body.turns.map((turn) => turn.text)).toEqual(['where is my order?', 'A1001']);
    expect(body.visited.order_status?.states.slice(0, 2)).toEqual(['get_order', 'look_up']);
    expect(body.visited.order_status?.transitions).toContain('get_order -> look_up (filled)');
    expect(Object.keys(body.visited)).toEqual(['order_status']);
  });

  it('refuses bad input with a reason', async () => {
    const routes = routesFor({ mode: 'open' });
    const parse = await call(routes, request('POST', '/designer/api/parse', { body: { text: '' } }));
    expect(parse).toMatchObject({ status: 400, json: { error: 'bad_request' } });
    const replay = await call(routes, request('POST', '/designer/api/replay', { body: { transcript: 1 } }));
    expect(replay).toMatchObject({ status: 400, json: { error: 'bad_request' } });
    const nothing = await call(
      routes,
      request('POST', '/designer/api/replay', { body: { transcript: 'bot> hello' } }),
    );
    expect(nothing).toMatchObject({ status: 404, json: { error: 'nothing_to_replay' } });
  });

  it('offers the bot’s conversation scripts that start at the beginning', async () => {
    const response = await call(routesFor({ mode: 'open' }), request('GET', '/designer/api/conversations'));
    const body = response.json as { conversations: Array<{ file: string; name: string; lines: string[] }> };
    expect(body.conversations.length).toBeGreaterThan(3);
    expect(
      body.conversations.every((script) => script.file.endsWith('.conv.yaml') && script.lines.length > 0),
    ).toBe(true);
  });
});

describe('customer lines of a pasted transcript', () => {
  it('keeps the customer’s lines in script, chat or plain style', () => {
    expect(customerLinesOf('user> hi\nbot> Hello!\nuser> where is my order')).toEqual([
      'hi',
      'where is my order',
    ]);
    expect(customerLinesOf('Customer: hi\nAgent: hello\ncustomer: thanks')).toEqual(['hi', 'thanks']);
    expect(customerLinesOf('hi\n\nwhere is my order\n')).toEqual(['hi', 'where is my order']);
  });
});

/** How many flow files the bot has: the viewer shows one entry per flow. */
function flowFiles(botDirectory: string): number {
  return readdirSync(join(botDirectory, 'flows')).filter((file) => file.endsWith('.flow.yaml')).length;
}
