import { buildRuntime, loadBotDefinition, startParley, type RunningParley } from '../../app/bootstrap';
import { loadConfig } from '../../app/config';
import type { ChannelName } from '../../core/message';
import { installPrivacy } from '../../privacy/setup';
import { silentLogger } from '../../stores/silent-logger';

/**
 * Consent and data requests in conversation, on the acme bot: over REST through the real server
 * (withdrawing and granting in English and Spanish; an unverified request for the data), and on a
 * verified channel (SMS) through the pipeline, whose export link then serves the customer's own data.
 */

const NOW = Date.UTC(2025, 5, 2, 9, 0);
let parley: RunningParley;

beforeAll(async () => {
  const config = loadConfig({ PORT: '0', LOG_LEVEL: 'silent', PARLEY_RELOAD: 'false' });
  parley = await startParley(loadBotDefinition('acme'), config, {
    logger: silentLogger,
    clock: { now: () => NOW },
  });
});

afterAll(async () => {
  await parley.close();
});

async function send(sender: string, message: string): Promise<string> {
  const response = await fetch(`${parley.address.url}/webhooks/rest/webhook`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ sender, message }),
  });
  expect(response.status).toBe(200);
  return ((await response.json()) as Array<{ text: string }>).map((r) => r.text).join(' | ');
}

it('records consent withdrawn and given in conversation, in English and Spanish, with channel, locale and wording', async () => {
  expect(await send('eva', 'hi')).toMatch(/help/i);
  expect(await send('eva', 'stop using my data for analytics')).toBe(
    'Done. We no longer use your data for analytics. You can change this at any time.',
  );
  expect(await send('eva', 'you can use my data for marketing')).toMatch(
    /^Thank you. We'll use your data for marketing/,
  );
  expect(await send('leo', 'Dejen de usar mis datos para publicidad')).toBe(
    'Hecho. Ya no usamos tus datos para marketing. Puedes cambiarlo cuando quieras.',
  );
  const { consent } = parley.runtime.stores;
  const eva = await consent.history('rest:eva');
  expect(eva.map((r) => [r.purpose, r.granted, r.channel, r.locale, r.wordingVersion, r.at])).toEqual([
    ['analytics', false, 'rest', 'en', 'withdraw-in-conversation.v1', NOW],
    ['marketing', true, 'rest', 'en', 'grant-in-conversation.v1', NOW],
  ]);
  expect((await consent.history('rest:leo')).map((r) => [r.purpose, r.granted, r.locale])).toEqual([
    ['marketing', false, 'es'],
  ]);
  // The bot's own flows still answer everything else.
  expect(await send('eva', 'where is my order')).toMatch(/order number/i);
});

it('refuses to send the data to a customer on a channel that does not verify them', async () => {
  expect(await send('mia', 'send me my data')).toMatch(
    /^For your security I can only send your data once I know it's you/,
  );
});

describe('"send me my data": the export follows a one-time code', () => {
  let now = NOW;
  const clock = { now: () => now };
  const mails: Array<{ to: string; text: string }> = [];
  let runtime: Awaited<ReturnType<typeof buildRuntime>>;
  let setup: ReturnType<typeof installPrivacy>;
  let sequence = 0;

  beforeAll(async () => {
    const config = loadConfig({
      LOG_LEVEL: 'silent',
      PARLEY_RELOAD: 'false',
      PARLEY_AUDIT_KEY: 'k'.repeat(16),
    });
    runtime = await buildRuntime(loadBotDefinition('acme'), config, { logger: silentLogger, clock });
    setup = installPrivacy(runtime, { ...config, publicUrl: 'https://bot.example' }, clock, {
      // Ana's records hold an e-mail address; nobody else's hold anything.
      directory: {
        contactPoints: async ({ customerId }) =>
          customerId === 'webchat:w-ana' ? [{ kind: 'email', value: 'ana@example.com' }] : [],
      },
      mailer: { send: async (mail) => void mails.push(mail) },
    });
  });
  afterAll(async () => runtime.close());

  const say = async (who: { channel: ChannelName; user: string }, text: string) => {
    const replies = await runtime.pipeline.handle({
      channel: who.channel,
      channelUserId: who.user,
      conversationId: `${who.channel}-${who.user}`,
      messageId: `m${(sequence += 1)}`,
      kind: 'text',
      text,
      timestamp: now,
    });
    return replies.map((r) => r.text).join(' | ');
  };
  const sms = { channel: 'sms' as const, user: '+15550001111' };
  const ana = { channel: 'webchat' as const, user: 'w-ana' };
  const codeIn = (text: string) => /\b(\d{6})\b/.exec(text)?.[1] ?? '';
  const wrong = (code: string) => String((Number(code) + 1) % 1_000_000).padStart(6, '0');

  it('on SMS (the channel proves the number) says the code in the chat, and gives the link only for it', async () => {
    const asked = await say(sms, 'envíame mis datos');
    expect(asked).toMatch(/^Para asegurarme de que eres tú, aquí tienes un código de un solo uso: \d{6}\./);
    const code = codeIn(asked);
    expect(await say(sms, wrong(code))).toBe('Ese código no es correcto. Te quedan 4 intentos.');
    const [, ready] = /(https:\/\/bot\.example\/privacy\/export\/\S+)/.exec(await say(sms, code)) ?? [];
    expect(ready).toBeDefined();
    expect(setup.links.verify(ready!.split('/').at(-1)!)).toBe('sms:+15550001111');
    // Neither the code nor the attempts are in the transcript.
    const lines = JSON.stringify(await runtime.stores.transcripts.read('sms-+15550001111'));
    expect(lines).not.toContain(code);
    expect(lines).not.toContain(wrong(code));
    expect(lines).toContain('[one-time code]');
    // Used once: the same code is an ordinary message now (spent, kept as typed), and the bot's flows answer it.
    expect(await say(sms, code)).not.toContain('/privacy/export/');
    const page = await setup.routes[0]!.handle({
      method: 'GET',
      path: '/privacy/export/x',
      params: { token: ready!.split('/').at(-1)! },
      query: new URLSearchParams(),
      headers: {},
      body: undefined,
      rawBody: Buffer.alloc(0),
    });
    expect(page.status).toBe(200);
    expect('raw' in page && String(page.raw)).toContain('envíame mis datos');
  });

  it('on web chat e-mails the code to the address on file; the chat never shows it', async () => {
    const asked = await say(ana, 'send me my data');
    expect(asked).toMatch(/^To make sure it's you, I've sent a 6-digit code to a\S*@example\.com\./);
    expect(asked).not.toMatch(/\d{6}/);
    expect(mails.at(-1)).toMatchObject({ to: 'ana@example.com' });
    const code = codeIn(mails.at(-1)!.text);
    expect(await say(ana, `${code.slice(0, 3)} ${code.slice(3)}`)).toMatch(
      /^Thanks, that's you\. Here is everything we hold about you .*https:\/\/bot\.example\/privacy\/export\//,
    );
  });

  it('refuses a code past its 10 minutes, and one tried wrong 5 times, even when it is then right', async () => {
    await say(ana, 'send me my data');
    const expired = codeIn(mails.at(-1)!.text);
    now += 10 * 60_000 + 1;
    expect(await say(ana, expired)).toBe(
      "That code has expired. Ask for your data again and I'll send a new one.",
    );
    await say(ana, 'send me my data');
    const code = codeIn(mails.at(-1)!.text);
    for (let left = 4; left >= 1; left -= 1)
      expect(await say(ana, wrong(code))).toBe(`That code isn't right. You have ${left} more tries.`);
    expect(await say(ana, wrong(code))).toMatch(/^That was too many wrong codes/);
    expect(await say(ana, code)).not.toContain('/privacy/export/');
  });

  it('sends no more than 3 codes an hour, and none to a web chat customer with nothing on file', async () => {
    // Ana had 3 codes within the hour above.
    expect(await say(ana, 'send me my data')).toBe(
      "I've sent you several codes already. Please wait an hour, then ask again.",
    );
    expect(await say({ channel: 'webchat', user: 'w-nobody' }, 'send me my data')).toMatch(
      /^For your security I can only send your data once I know it's you/,
    );
  });
});
