import { memoryLogger } from '../../test/support/fake-runtime';
import { createTwilioMessagesApi } from './twilio.messages-api';
import { startFakeTwilioApi, TEST_ACCOUNT_SID, TEST_AUTH_TOKEN } from '../../test/support/twilio';

describe('Twilio Messages API client (against a local server speaking the API)', () => {
  let api: Awaited<ReturnType<typeof startFakeTwilioApi>>;
  let waits: number[];
  const client = (authToken = TEST_AUTH_TOKEN) =>
    createTwilioMessagesApi({
      apiUrl: api.url,
      accountSid: TEST_ACCOUNT_SID,
      authToken,
      logger: memoryLogger(),
      baseDelayMs: 100,
      maxDelayMs: 5000,
      sleep: async (ms) => {
        waits.push(ms);
      },
    });
  const message = { to: '+15550001111', from: '+15550009999', body: 'Hello & welcome' };

  beforeEach(async () => {
    api = await startFakeTwilioApi();
    waits = [];
  });
  afterEach(() => api.close());

  it('creates a message with basic auth and a form body, and reads the SID from the JSON answer', async () => {
    const outcome = await client().send(message);
    expect(outcome).toEqual({ ok: true, sid: expect.stringMatching(/^SM[0-9a-f]{32}$/) });
    expect(api.calls).toEqual([{ ...message, status: 201 }]);
  });

  it('sends a Messaging Service SID as MessagingServiceSid', async () => {
    const service = `MG${'ab'.repeat(16)}`;
    expect((await client().send({ ...message, from: service })).ok).toBe(true);
    expect(api.calls[0]?.from).toBe(service);
  });

  it('honours Retry-After on 429, backs off on 5xx, and stops after maxAttempts', async () => {
    api.failNext({ status: 429, code: 20429, retryAfter: '2' }, { status: 500 });
    expect((await client().send(message)).ok).toBe(true);
    expect(waits).toEqual([2000, 200]);
    waits = [];
    api.failNext({ status: 503 }, { status: 503 }, { status: 503 }, { status: 503 });
    expect(await client().send(message)).toEqual({ ok: false, status: 503, code: 20500 });
    expect(waits).toEqual([100, 200, 400]);
  });

  it('cuts a Retry-After longer than maxDelayMs', async () => {
    api.failNext({ status: 429, retryAfter: '3600' });
    await client().send(message);
    expect(waits).toEqual([5000]);
  });

  it("does not retry Twilio's final refusals and reports their code", async () => {
    api.failNext({ status: 400, code: 21610 });
    expect(await client().send(message)).toEqual({ ok: false, status: 400, code: 21610 });
    expect(await client('wrong-token-0123456789abcdef').send(message)).toEqual({
      ok: false,
      status: 401,
      code: 20003,
    });
    expect(waits).toEqual([]);
    expect(api.calls).toHaveLength(1);
  });

  it('retries an unreachable API and gives up', async () => {
    await api.close();
    expect(await client().send(message)).toEqual({ ok: false });
    expect(waits).toEqual([100, 200, 400]);
    api = await startFakeTwilioApi();
  });
});
