/**
 * `npm start` (app/main.ts, as a process) with Twilio and Alexa configured serves both voice endpoints: the
 * phone webhook answers TwiML with a Media Stream, the media socket takes a signed call and greets it, and the
 * Alexa endpoint verifies every request.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { SKILL_ID } from '../support/alexa-harness';
import { postSigned, TEST_AUTH_TOKEN } from '../support/twilio';
import { TwilioMediaClient } from '../support/twilio-media-client';

const ROOT = join(__dirname, '..', '..');

/** The environment without a store setting: the server runs in memory, as `npm start` does by default. */
function withoutStore(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const { REDIS_URL: _redis, REDIS_CLUSTER_NODES: _cluster, DATABASE_URL: _database, ...rest } = env;
  return rest;
}

describe('npm start with Twilio and Alexa configured', () => {
  let child: ChildProcess;
  let printed = '';
  let url: string;

  beforeAll(async () => {
    child = spawn(process.execPath, ['--import', 'tsx', 'app/main.ts'], {
      cwd: ROOT,
      env: {
        ...withoutStore(process.env),
        DOTENV_CONFIG_QUIET: 'true',
        PORT: '0',
        LOG_LEVEL: 'silent',
        PARLEY_RELOAD: 'false',
        PARLEY_TWILIO_AUTH_TOKEN: TEST_AUTH_TOKEN,
        PARLEY_ALEXA_SKILL_ID: SKILL_ID,
      },
    });
    url = await new Promise<string>((resolve, reject) => {
      child.stdout?.on('data', (chunk: Buffer) => {
        printed += chunk.toString();
        const rest = /REST\s+POST (\S+)\/webhooks\/rest\/webhook/.exec(printed);
        if (rest?.[1] && printed.includes('health')) resolve(rest[1]);
      });
      child.stderr?.on('data', (chunk: Buffer) => (printed += chunk.toString()));
      child.on('close', (code) => reject(new Error(`npm start exited (${code}): ${printed}`)));
    });
  }, 90_000);
  afterAll(() => {
    child.kill('SIGTERM');
  });

  it('says where both endpoints are', () => {
    expect(printed).toContain(`phone calls  POST ${url}/webhooks/twilio/voice`);
    expect(printed).toContain(`Alexa        POST ${url}/webhooks/alexa`);
  });

  it('answers a call with a Media Stream, and greets the caller on the media socket', async () => {
    const answer = await postSigned(`${url}/webhooks/twilio/voice`, {
      CallSid: 'CAstart1',
      From: '+15550007777',
    });
    expect(answer.status).toBe(200);
    expect(await answer.text()).toContain(
      `<Stream url="${url.replace(/^http/, 'ws')}/webhooks/twilio/media">`,
    );
    const caller = await TwilioMediaClient.call(url, {
      token: TEST_AUTH_TOKEN,
      from: '+15550007777',
      callSid: 'CA0000000000000000000000000start1',
    });
    try {
      await caller.until((got) => got.some((item) => item.event === 'media'), 30_000);
    } finally {
      caller.hangUp();
    }
  }, 60_000);

  it('verifies Alexa requests (an unsigned one is refused)', async () => {
    const response = await fetch(`${url}/webhooks/alexa`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ version: '1.0', request: { type: 'LaunchRequest' } }),
    });
    expect(response.status).toBe(400);
  });
});
