import { buildRuntime, loadBotDefinition, startParley, type RunningParley } from '../../app/bootstrap';
import { loadConfig } from '../../app/config';
import type { Message } from '../../core/message';
import { createExportLinks, exportLinkRoute } from '../../privacy/export-link';
import { customerRefFor } from '../../privacy/customer-ref';
import { createPrivacyService } from '../../privacy/privacy-service';
import { mailExportLink, privacyConversation } from '../../privacy/conversation';
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

it('answers a verified customer with a link that serves their own export', async () => {
  const config = loadConfig({ LOG_LEVEL: 'silent', PARLEY_RELOAD: 'false' });
  const clock = { now: () => NOW };
  const runtime = await buildRuntime(loadBotDefinition('acme'), config, { logger: silentLogger, clock });
  const links = createExportLinks({ key: 'k'.repeat(16), clock, publicUrl: 'https://bot.example' });
  // On web chat (not verified) the link goes to the e-mail address on file, never into the chat.
  const mails: Array<{ to: string; text: string }> = [];
  runtime.pipeline.use(
    'decide',
    privacyConversation({
      consent: runtime.stores.consent,
      messages: runtime.messages,
      exportLink: links.link,
      sendToContact: mailExportLink({
        directory: { contactPoints: async () => [{ kind: 'email', value: 'ana@example.com' }] },
        mailer: { send: async (mail) => void mails.push(mail) },
        messages: runtime.messages,
      }),
    }),
  );
  const message = (text: string, id: string): Message =>
    ({
      channel: 'sms',
      channelUserId: '+15550001111',
      conversationId: 'sms-conv-1',
      messageId: id,
      kind: 'text',
      text,
      timestamp: NOW,
      raw: {},
    }) as Message;
  await runtime.pipeline.handle(message('where is my order', 'm1'));
  const [reply] = await runtime.pipeline.handle(message('envíame mis datos', 'm2'));
  const link = /https:\/\/bot\.example\/privacy\/export\/(\S+)/.exec(reply?.text ?? '');
  expect(link).not.toBeNull();
  expect(links.verify(link![1]!)).toBe('sms:+15550001111');
  expect(links.verify(`${link![1]!}x`)).toBeUndefined();
  const privacy = createPrivacyService({
    stores: runtime.stores,
    clock,
    customerRef: customerRefFor('r'.repeat(16)),
  });
  const [mailed] = await runtime.pipeline.handle({
    ...message('send me my data', 'w1'),
    channel: 'webchat',
    channelUserId: 'w-ana',
    conversationId: 'web-ana',
  });
  expect(mailed?.text).toMatch(/^I've sent a link to everything we hold about you to a\S*@example\.com/);
  expect(mailed?.text).not.toContain('/privacy/export/');
  expect(mails).toHaveLength(1);
  expect(mails[0]).toMatchObject({
    to: 'ana@example.com',
    text: expect.stringContaining('https://bot.example/privacy/export/'),
  });
  const route = exportLinkRoute(links, privacy, customerRefFor('r'.repeat(16)));
  const request = (token: string) => ({
    method: 'GET' as const,
    path: '/privacy/export/x',
    params: { token },
    query: new URLSearchParams(),
    headers: {},
    body: undefined,
    rawBody: Buffer.alloc(0),
  });
  const page = await route.handle(request(link![1]!));
  expect(page.status).toBe(200);
  expect('raw' in page && String(page.raw)).toContain('where is my order');
  expect((await route.handle(request('forged.token'))).status).toBe(404);
  await runtime.close();
});
