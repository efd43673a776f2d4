import { createHttpServer, type ParleyHttpServer } from '../http/http-server';
import { FakeRuntime, memoryLogger } from '../../test/support/fake-runtime';

const TOKEN = 'a-long-shared-rest-token';

describe('REST channel with a shared token', () => {
  let server: ParleyHttpServer;
  let base: string;

  beforeAll(async () => {
    server = createHttpServer({
      runtime: new FakeRuntime(),
      logger: memoryLogger(),
      restToken: TOKEN,
      webChat: false,
    });
    base = (await server.listen(0)).url;
  });
  afterAll(() => server.close());

  const send = (path: string, headers: Record<string, string> = {}) =>
    fetch(`${base}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify({ sender: 'alice', message: 'hi', text: 'hi' }),
    });

  it('refuses a request without a token, naming how to send one', async () => {
    const answer = await send('/webhooks/rest/webhook');
    expect(answer.status).toBe(401);
    expect(await answer.json()).toEqual({ error: 'unauthorized', detail: expect.stringMatching(/Bearer/) });
  });

  it('refuses a wrong token on the channel and on /model/parse', async () => {
    expect((await send('/webhooks/rest/webhook', { authorization: `Bearer ${TOKEN}x` })).status).toBe(401);
    expect((await send('/model/parse?token=nope')).status).toBe(401);
  });

  it('accepts the token as a Bearer header or as ?token=', async () => {
    expect((await send('/webhooks/rest/webhook', { authorization: `Bearer ${TOKEN}` })).status).toBe(200);
    expect((await send(`/model/parse?token=${TOKEN}`)).status).toBe(200);
  });

  it('reads the Bearer scheme case-insensitively, as the desk does', async () => {
    expect((await send('/webhooks/rest/webhook', { authorization: `bearer ${TOKEN}` })).status).toBe(200);
    expect((await send('/webhooks/rest/webhook', { authorization: `BEARER  ${TOKEN}` })).status).toBe(200);
  });
});
