import { loadBotDefinition, startParley, type RunningParley } from '../../app/bootstrap';
import { loadConfig } from '../../app/config';
import {
  messageSid,
  OUR_NUMBER,
  postSigned,
  startFakeTwilioApi,
  TEST_ACCOUNT_SID,
  TEST_AUTH_TOKEN,
  twimlMessages,
} from '../support/twilio';
import { silentLogger } from '../../stores/silent-logger';
import { startRedisServer, type RedisServer } from '../support/redis-server';
import { WebChatCustomer } from '../support/webchat-client';

/** Jane's phone, on file for account 12345678 in Acme's fake back-end. */
const JANE_PHONE = '+447700900123';
const STRANGER = '+15550007777';

type FakeApi = Awaited<ReturnType<typeof startFakeTwilioApi>>;

describe.each(['memory', 'redis'] as const)('one customer across channels, verified (%s store)', (kind) => {
  let redis: RedisServer | undefined;
  let api: FakeApi;
  let parley: RunningParley;
  const customers: WebChatCustomer[] = [];

  beforeAll(async () => {
    if (kind === 'redis') redis = await startRedisServer();
    api = await startFakeTwilioApi();
    const config = loadConfig({
      PORT: '0',
      LOG_LEVEL: 'silent',
      PARLEY_RELOAD: 'false',
      ...(redis ? { REDIS_URL: redis.url } : {}),
      PARLEY_TWILIO_AUTH_TOKEN: TEST_AUTH_TOKEN,
      PARLEY_TWILIO_ACCOUNT_SID: TEST_ACCOUNT_SID,
      PARLEY_TWILIO_API_URL: api.url,
      PARLEY_TWILIO_SMS_FROM: OUR_NUMBER,
      PARLEY_TWILIO_WHATSAPP_FROM: OUR_NUMBER,
    });
    parley = await startParley(loadBotDefinition('acme'), config, { logger: silentLogger });
  }, 60_000);

  afterAll(async () => {
    for (const customer of customers) await customer.close();
    await parley.close();
    await api.close();
    await redis?.stop();
  });

  const webChat = async () => {
    const customer = await WebChatCustomer.start(parley.address.url);
    customers.push(customer);
    return customer;
  };

  /** A signed Twilio webhook from `from` (`whatsapp:+44…` for WhatsApp); the TwiML reply's messages. */
  const text = async (from: string, body: string): Promise<string[]> => {
    const params = { MessageSid: messageSid(), From: from, To: OUR_NUMBER, Body: body };
    const response = await postSigned(`${parley.address.url}/webhooks/twilio/messages`, params);
    expect(response.status).toBe(200);
    return twimlMessages(await response.text());
  };

  it('starts an order question in web chat, verifies by SMS code, and finishes it on SMS', async () => {
    const web = await webChat();
    expect(await web.say('where is my order?')).toEqual([expect.stringMatching(/order number/)]);
    expect((await web.say('can I continue on my phone?')).join(' ')).toMatch(/account number/);
    expect(await web.say('12345678')).toEqual([expect.stringMatching(/postcode/)]);
    const sent = (await web.say('SW1A 1AA')).join(' ');
    expect(sent).toMatch(/texted a code to •••• 0123/);

    const texted = api.calls.filter((call) => call.to === JANE_PHONE);
    expect(texted).toHaveLength(1);
    const code = /\b(\d{6})\b/.exec(texted[0]?.body ?? '')?.[1] ?? '';
    expect(code).toMatch(/^\d{6}$/);

    // An unverified claim links nothing, and Jane's code is worthless from any other number.
    const claimed = (await text(STRANGER, `my number is ${JANE_PHONE}, carry on my chat`)).join(' ');
    expect(claimed).not.toMatch(/order number|carry on here/i);
    expect((await text(STRANGER, code)).join(' ')).not.toMatch(/carry on here/);
    const conversation = `webchat:${web.sessionId}`;
    const addresses = () => parley.runtime.stores.identities.addresses(conversation);
    expect(await addresses()).toEqual([{ channel: 'webchat', userId: web.sessionId }]);

    // From Jane's phone the code links the number, and the open flow asks only what it still needs.
    const resumed = await text(JANE_PHONE, code);
    expect(resumed).toEqual([expect.stringMatching(/carry on here/), expect.stringMatching(/order number/)]);
    expect((await text(JANE_PHONE, 'A1001')).join(' ')).toMatch(/A1001 has shipped/);
    expect(await addresses()).toHaveLength(2);
    expect(await addresses()).toContainEqual({ channel: 'sms', userId: JANE_PHONE });

    // One conversation, a channel on every line, and the code in none of them.
    const lines = await parley.runtime.stores.transcripts.read(conversation);
    expect(lines.every((line) => line.channel === 'webchat' || line.channel === 'sms')).toBe(true);
    expect(lines.map((line) => line.channel)).toContain('sms');
    expect(lines.filter((line) => line.event === 'channel.linked')).toHaveLength(2);
    expect(JSON.stringify(lines)).not.toContain(code);
    // The used code cannot link anything again.
    expect((await text(JANE_PHONE, code)).join(' ')).not.toMatch(/carry on here/);

    // "Unlink this number" from the phone: its next message is a stranger's again.
    expect((await text(JANE_PHONE, 'unlink this number')).join(' ')).toMatch(/no longer linked/);
    expect(await addresses()).toEqual([{ channel: 'webchat', userId: web.sessionId }]);
    expect((await text(JANE_PHONE, 'where is my order?')).join(' ')).toMatch(/order number/);
  }, 60_000);

  it('lets the agent of a case opened on web chat answer the customer on WhatsApp', async () => {
    const web = await webChat();
    const shown = (await web.say('can we continue on whatsapp?')).join(' ');
    const token = /([2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{4})/.exec(shown)?.[1];
    expect(shown).toContain(OUR_NUMBER);
    expect(token).toBeDefined();
    expect((await web.say('I want to talk to a person')).join(' ')).toMatch(/colleague/);

    const desk = async (path: string, body?: object, bearer?: string, status = 200) => {
      const response = await fetch(`${parley.address.url}${path}`, {
        method: body ? 'POST' : 'GET',
        headers: {
          'content-type': 'application/json',
          ...(bearer ? { authorization: `Bearer ${bearer}` } : {}),
        },
        ...(body ? { body: JSON.stringify(body) } : {}),
      });
      expect(response.status === 201 ? 200 : response.status).toBe(status);
      return (await response.json()) as Record<string, unknown>;
    };
    const { token: bearer } = (await desk('/api/agent/login', {
      username: 'demo',
      password: 'parley-demo',
    })) as {
      token: string;
    };
    const { cases } = (await desk('/api/cases?status=queued', undefined, bearer)) as {
      cases: { id: string; conversationId: string }[];
    };
    const item = cases.find((c) => c.conversationId === `webchat:${web.sessionId}`);
    if (!item) throw new Error('no case for the web chat');
    await desk(`/api/cases/${item.id}/claim`, {}, bearer);

    // The customer moves to WhatsApp with the code the web chat showed: the case stays with its agent.
    const whatsapp = `whatsapp:${JANE_PHONE.replace('0123', '0456')}`;
    expect((await text(whatsapp, `LINK ${token ?? ''}`)).join(' ')).toMatch(/colleague can see this/);
    const detail = (await desk(`/api/cases/${item.id}`, undefined, bearer)) as {
      case: { channels: string[]; package: { customer: { identities: { channel: string; id: string }[] } } };
    };
    expect(detail.case.channels).toEqual(expect.arrayContaining(['webchat', 'whatsapp']));
    expect(detail.case.package.customer.identities).toContainEqual({
      channel: 'whatsapp',
      id: whatsapp.slice('whatsapp:'.length),
    });

    const before = api.calls.length;
    await desk(
      `/api/cases/${item.id}/messages`,
      { text: 'Hi, Sam here. Let me check that for you.' },
      bearer,
    );
    expect(api.calls.slice(before)).toEqual([
      {
        to: whatsapp,
        from: `whatsapp:${OUR_NUMBER}`,
        body: 'Hi, Sam here. Let me check that for you.',
        status: 201,
      },
    ]);
    // The customer's WhatsApp messages reach the agent's case, not the bot.
    const lines = await parley.runtime.stores.transcripts.read(item.conversationId);
    expect(lines.some((line) => line.speaker === 'agent' && line.channel === 'whatsapp')).toBe(true);

    // The agent unlinks the number from the desk: the case shows it, and it cannot be unlinked twice.
    const number = whatsapp.slice('whatsapp:'.length);
    const unlinked = (await desk(
      `/api/cases/${item.id}/unlink`,
      { channel: 'whatsapp', userId: number },
      bearer,
    )) as {
      case: { package: { customer: { identities: { channel: string }[] } } };
    };
    expect(unlinked.case.package.customer.identities.map((i) => i.channel)).toEqual(['webchat']);
    await desk(`/api/cases/${item.id}/unlink`, { channel: 'whatsapp', userId: number }, bearer, 409);
    await desk(`/api/cases/${item.id}/unlink`, { channel: 'webchat', userId: web.sessionId }, bearer, 409);
  }, 60_000);
});
