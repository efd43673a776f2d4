import { activity, post, startBot, type BotUnderTest } from '../../test/support/botframework-harness';
import {
  forgerKey,
  localCredentials,
  startLocalChannel,
  startLocalIssuer,
  type LocalChannel,
  type LocalIssuer,
} from '../../test/support/botframework';
import { serviceUrlAllowed } from './botframework.auth';
import type { Stores } from '../../core/ports';
import { createMemoryStores } from '../../stores/memory';
import { createRedisStores } from '../../stores/redis';
import { readAllKeys } from '../../stores/redis/inspect';
import { startRedisServer, type RedisServer } from '../../test/support/redis-server';

const APP_ID = '3f1c2a9e-5b7d-4e21-9a0c-6d8f1b2c3d4e';
const CONVERSATION = 'botframework:msteams:conv-1';

/**
 * Auth on: botbuilder validates the channel's JWT for real (issuer, audience, expiry, signing key from
 * the OpenID metadata and JWKS, the `serviceurl` claim) against a local token service.
 */
let redis: RedisServer | undefined;
beforeAll(async () => {
  redis = await startRedisServer();
});
afterAll(async () => {
  await redis?.stop();
});

let prefixes = 0;
const backends: Array<[string, () => Promise<Stores>]> = [
  ['memory', async () => createMemoryStores({ retentionMs: 60_000 })],
  [
    'Redis',
    async () =>
      createRedisStores({
        url: redis?.url ?? '',
        retentionMs: 60_000,
        keyPrefix: `bf-auth-${(prefixes += 1)}`,
      }),
  ],
];

describe.each(backends)('Bot Framework connector, auth on, on %s', (backend, makeStores) => {
  let issuer: LocalIssuer;
  let channel: LocalChannel;
  let bot: BotUnderTest;
  let botToken: string;

  beforeEach(async () => {
    // botbuilder itself console.errors every token it rejects; the assertions below are what matter.
    jest.spyOn(console, 'error').mockImplementation(() => undefined);
    issuer = await startLocalIssuer();
    channel = await startLocalChannel();
    botToken = issuer.token({ aud: 'https://api.botframework.com', appid: APP_ID });
    bot = await startBot(
      {
        appId: APP_ID,
        appPassword: 'not-used-by-the-local-token-service',
        endpoints: {
          openIdMetadataUrl: issuer.metadataUrl,
          tokenIssuer: issuer.issuer,
          emulatorOpenIdMetadataUrl: issuer.metadataUrl,
        },
        credentialsFactory: localCredentials(APP_ID, 'not-used-by-the-local-token-service', botToken),
        typingAfterMs: 10_000,
      },
      { stores: await makeStores() },
    );
  });
  afterEach(async () => {
    jest.restoreAllMocks();
    await bot.close();
    await channel.close();
    await issuer.close();
  });

  const channelToken = (
    claims: Record<string, unknown> = {},
    options?: Parameters<LocalIssuer['token']>[1],
  ) => issuer.token({ aud: APP_ID, serviceurl: channel.url, ...claims }, options);
  const send = (token: string | undefined, fields: Record<string, unknown> = {}) =>
    post(bot.url, activity(channel.url, fields), token ? { authorization: `Bearer ${token}` } : {});

  async function expectNoSideEffect(): Promise<void> {
    expect(await bot.stores.conversations.get(CONVERSATION)).toBeUndefined();
    expect(await bot.stores.transcripts.count(CONVERSATION)).toBe(0);
    expect(await bot.stores.cases.list()).toEqual([]);
    expect(channel.posts).toEqual([]);
    // On Redis, nothing at all was written under this bot's keys.
    if (backend === 'Redis' && redis) {
      const written = (await readAllKeys(redis.url)).filter(({ key }) =>
        key.startsWith(`bf-auth-${prefixes}:`),
      );
      expect(written.map(({ key }) => key)).toEqual([]);
    }
  }

  it('accepts a token signed by the published key and replies with the bot’s own token', async () => {
    const response = await send(channelToken(), { text: 'hello' });
    expect(response.status).toBe(200);
    expect(channel.posts.map((p) => p.activity.text)).toEqual(['echo: hello']);
    const bearer = channel.posts[0].authorization?.replace(/^Bearer /, '') ?? '';
    expect(issuer.verifies(bearer)).toBe(true);
    expect(await bot.stores.transcripts.count(CONVERSATION)).toBe(2);
  });

  it('refuses a forged token (signed with another key under the published key id) with 401', async () => {
    const forged = channelToken({}, { key: forgerKey() });
    const response = await send(forged, { text: 'human' });
    expect(response.status).toBe(401);
    await expectNoSideEffect();
  });

  it('refuses a token signed by a key the metadata does not publish with 401', async () => {
    const response = await send(channelToken({}, { key: forgerKey(), kid: 'unknown-key' }), {
      text: 'human',
    });
    expect(response.status).toBe(401);
    await expectNoSideEffect();
  });

  it('refuses an expired token with 401', async () => {
    const expired = channelToken(
      { iat: Math.floor(Date.now() / 1000) - 7200, nbf: Math.floor(Date.now() / 1000) - 7200 },
      { expiresIn: -3600 },
    );
    const response = await send(expired, { text: 'human' });
    expect(response.status).toBe(401);
    await expectNoSideEffect();
  });

  it('refuses a token for another bot (wrong audience) with 401', async () => {
    const response = await send(channelToken({ aud: 'some-other-bot' }), { text: 'human' });
    expect(response.status).toBe(401);
    await expectNoSideEffect();
  });

  it('refuses a token from another issuer with 401', async () => {
    const response = await send(channelToken({ iss: 'https://evil.example' }), { text: 'human' });
    expect(response.status).toBe(401);
    await expectNoSideEffect();
  });

  it('refuses a token whose serviceurl claim is not the activity’s serviceUrl with 401', async () => {
    const response = await send(channelToken({ serviceurl: 'http://127.0.0.1:1/' }), { text: 'human' });
    expect(response.status).toBe(401);
    await expectNoSideEffect();
  });

  it('refuses a request without a token, or with garbage, with 401', async () => {
    expect((await send(undefined, { text: 'human' })).status).toBe(401);
    expect((await send('not.a.jwt', { text: 'human' })).status).toBe(401);
    await expectNoSideEffect();
  });

  it('delivers agent replies out of turn with the bot’s token', async () => {
    await send(channelToken(), { text: 'human' });
    channel.posts.length = 0;
    await bot.runtime.deliver(CONVERSATION, { from: 'agent', agentName: 'Sam', text: 'Sam here.' });
    expect(channel.posts.map((p) => p.activity.text)).toEqual(['Sam here.']);
    expect(issuer.verifies(channel.posts[0].authorization?.replace(/^Bearer /, '') ?? '')).toBe(true);
  });
});

describe('serviceUrl allow-list (auth off)', () => {
  const loopback = ['http://localhost:', 'http://127.0.0.1:', 'http://[::1]:'];
  it.each([
    ['http://localhost:53000/', true],
    ['http://127.0.0.1:9000/v3', true],
    ['http://[::1]:3978', true],
    ['https://smba.trafficmanager.net/emea/', false],
    ['http://localhost:1@evil.example/', false],
    ['http://localhost.evil.example:80/', false],
    ['http://127.0.0.1.evil.example:80/', false],
    ['not a url', false],
  ])('%s → %s', (url, allowed) => {
    expect(serviceUrlAllowed(url, loopback)).toBe(allowed);
  });
});
