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
import { startRedisServer } from '../support/redis-server';

const ALICE = '+15550001111';
const CONVERSATION = `sms:${ALICE}`;

describe('SMS as npm start wires it: two processes on one Redis', () => {
  it('answers in turn, sends agents’ replies through the Messages API, and honours an opt-out everywhere', async () => {
    const redis = await startRedisServer();
    const api = await startFakeTwilioApi();
    const config = loadConfig({
      PORT: '0',
      LOG_LEVEL: 'silent',
      PARLEY_RELOAD: 'false',
      REDIS_URL: redis.url,
      PARLEY_TWILIO_AUTH_TOKEN: TEST_AUTH_TOKEN,
      PARLEY_TWILIO_ACCOUNT_SID: TEST_ACCOUNT_SID,
      PARLEY_TWILIO_API_URL: api.url,
      PARLEY_TWILIO_SMS_FROM: OUR_NUMBER,
    });
    const processes: RunningParley[] = [];
    try {
      for (let i = 0; i < 2; i += 1) {
        processes.push(await startParley(loadBotDefinition('acme'), config, { logger: silentLogger }));
      }
      const [a, b] = processes as [RunningParley, RunningParley];
      const text = async (to: RunningParley, body: string) => {
        const params = { MessageSid: messageSid(), From: ALICE, To: OUR_NUMBER, Body: body };
        const response = await postSigned(`${to.address.url}/webhooks/twilio/messages`, params);
        expect(response.status).toBe(200);
        return twimlMessages(await response.text());
      };

      expect((await text(a, 'where is my order A1001?')).join(' ')).toMatch(/A1001/);
      await b.runtime.deliver(CONVERSATION, { from: 'agent', agentName: 'Sam', text: 'Sam here.' });
      expect(api.calls).toEqual([{ to: ALICE, from: OUR_NUMBER, body: 'Sam here.', status: 201 }]);

      expect(await text(b, 'STOP')).toEqual([]);
      await a.runtime.deliver(CONVERSATION, { from: 'agent', agentName: 'Sam', text: 'Still there?' });
      expect(api.calls).toHaveLength(1);
      expect(await text(a, 'where is my order A1001?')).toEqual([]);
      const events = (await a.runtime.stores.transcripts.read(CONVERSATION)).map((line) => line.event);
      expect(events).toContain('twilio.opted_out');

      // Back in: what waited during the opt-out arrives with the next answer.
      expect(await text(a, 'START')).toEqual(['Still there?']);
    } finally {
      for (const running of processes) await running.close();
      await api.close();
      await redis.stop();
    }
  }, 60_000);
});

describe('Twilio settings', () => {
  it('turns SMS and WhatsApp on with the auth token, and refuses a malformed account SID', () => {
    expect(loadConfig({}).twilio).toBeUndefined();
    expect(
      loadConfig({ PARLEY_TWILIO_AUTH_TOKEN: TEST_AUTH_TOKEN, PARLEY_PUBLIC_URL: 'https://bot.example.com' })
        .twilio,
    ).toEqual({
      authToken: TEST_AUTH_TOKEN,
      apiUrl: 'https://api.twilio.com',
      publicUrl: 'https://bot.example.com',
    });
    expect(() =>
      loadConfig({ PARLEY_TWILIO_AUTH_TOKEN: TEST_AUTH_TOKEN, PARLEY_TWILIO_ACCOUNT_SID: 'AC123' }),
    ).toThrow(/PARLEY_TWILIO_ACCOUNT_SID/);
  });
});
