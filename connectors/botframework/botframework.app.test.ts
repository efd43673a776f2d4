import { loadBotDefinition, startParley, type RunningParley } from '../../app/bootstrap';
import { loadConfig } from '../../app/config';
import { silentLogger } from '../../stores/silent-logger';
import { eventually } from '../../test/contracts/connector.contract';
import { activity, post } from '../../test/support/botframework-harness';
import { startLocalChannel, type LocalChannel } from '../../test/support/botframework';

/** What `npm start` runs: the Acme bot, `POST /api/messages`, and the agent desk answering a Teams customer. */
describe('Bot Framework in the running server', () => {
  let parley: RunningParley;
  let channel: LocalChannel;
  let base: string;

  beforeAll(async () => {
    channel = await startLocalChannel();
    const config = loadConfig({ PORT: '0', LOG_LEVEL: 'silent', PARLEY_RELOAD: 'false' });
    parley = await startParley(loadBotDefinition('acme'), config, { logger: silentLogger });
    base = parley.address.url;
  }, 120_000);
  afterAll(async () => {
    await parley?.close();
    await channel?.close();
  });

  const desk = async (path: string, token: string, body?: unknown) => {
    const response = await fetch(`${base}${path}`, {
      method: body === undefined ? 'GET' : 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return (await response.json()) as Record<string, unknown>;
  };

  it("escalates a Teams customer and delivers the agent's replies proactively", async () => {
    const asked = await post(
      base,
      activity(channel.url, { id: 'app-1', text: 'I want to talk to a person' }),
    );
    expect(asked.status).toBe(200);
    expect(channel.posts.length).toBeGreaterThan(0);

    const login = await fetch(`${base}/api/agent/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'demo', password: 'parley-demo' }),
    });
    const { token } = (await login.json()) as { token: string };
    const { cases } = (await desk('/api/cases?status=queued', token)) as {
      cases: { id: string; conversationId: string }[];
    };
    const open = cases.find((item) => item.conversationId === 'botframework:msteams:conv-1');
    expect(open).toBeDefined();

    const before = channel.posts.length;
    await desk(`/api/cases/${open?.id}/claim`, token, {});
    await desk(`/api/cases/${open?.id}/messages`, token, { text: 'Hi, I am looking at your account now.' });
    const texts = () => channel.posts.slice(before).map((p) => p.activity.text);
    await eventually(
      () => (texts().includes('Hi, I am looking at your account now.') ? true : undefined),
      'the agent reply',
    );
    expect(texts()[0]).toMatch(/chatting with/i);
  }, 60_000);
});
