import {
  alexaRequest,
  ALEXA_USER,
  API_TOKEN,
  intent,
  launch,
  startAlexaHarness,
  utterance,
  type AlexaHarness,
} from '../../test/support/alexa-harness';
import { alexaConversationId, alexaUserKey } from './alexa.inbound';
import type { AlexaResponseBody } from './alexa.render';

const CONVERSATION = alexaConversationId(alexaUserKey(ALEXA_USER));

describe('Alexa webhook', () => {
  let h: AlexaHarness;
  beforeEach(async () => {
    h = await startAlexaHarness();
  });
  afterEach(async () => {
    await h.close();
  });

  async function ask(body: object): Promise<AlexaResponseBody['response']> {
    const response = await h.post(body);
    expect(response.status).toBe(200);
    return ((await response.json()) as AlexaResponseBody).response;
  }

  it('answers a launch with SSML, keeps the session open and records the turn on the alexa channel', async () => {
    const response = await ask(launch());
    expect(response.outputSpeech).toEqual({
      type: 'SSML',
      ssml: '<speak>Hi! How can I help you today?</speak>',
    });
    expect(response.shouldEndSession).toBe(false);
    expect(response.reprompt?.outputSpeech.ssml).toBe('<speak>Hi! How can I help you today?</speak>');
    expect(response.card).toEqual({
      type: 'Simple',
      title: 'Acme support',
      content: 'Hi! How can I help you today?',
    });
    const lines = await h.stores.transcripts.read(CONVERSATION);
    expect(lines.map((l) => [l.speaker, l.channel, l.event ?? l.text])).toEqual([
      ['customer', 'alexa', 'launch'],
      ['bot', 'alexa', 'Hi! How can I help you today?'],
    ]);
  });

  it("gives the catch-all slot's words to Parley's NLU, escaped in the SSML", async () => {
    const response = await ask(utterance('where is <my> order & stuff'));
    expect(h.steps.at(-1)).toMatchObject({ said: 'where is <my> order & stuff', intent: 'echo' });
    expect(response.outputSpeech?.ssml).toBe(
      '<speak>You said: where is &lt;my&gt; order &amp; stuff</speak>',
    );
    // Not a question: the session stays open without a reprompt.
    expect(response.reprompt).toBeUndefined();
  });

  it('reprompts with the question a reply expects an answer to, in its own SSML', async () => {
    const response = await ask(utterance('ask'));
    expect(response.outputSpeech?.ssml).toBe(
      '<speak>Your order has <emphasis>shipped</emphasis>. Anything else?</speak>',
    );
    expect(response.reprompt?.outputSpeech.ssml).toBe(response.outputSpeech?.ssml);
    expect(response.shouldEndSession).toBe(false);
  });

  it.each([
    ['AMAZON.StopIntent', 'goodbye'],
    ['AMAZON.CancelIntent', 'cancel'],
    ['AMAZON.HelpIntent', 'help'],
    ['AMAZON.FallbackIntent', 'out_of_scope'],
    ['AMAZON.YesIntent', 'affirm'],
    ['AMAZON.NoIntent', 'deny'],
    ['AMAZON.RepeatIntent', 'repeat'],
    ['SomeIntentTheSkillNeverHad', 'out_of_scope'],
  ])('maps %s to the %s intent', async (name, expected) => {
    const response = await ask(intent(name));
    expect(h.steps.at(-1)?.intent).toBe(expected);
    expect(response.shouldEndSession).toBe(expected === 'goodbye');
  });

  it("turns Alexa's DATE slot into a datetime entity and NUMBER into digits for the NLU", async () => {
    await ask(intent('ParleyDateIntent', { date: '2026-12-08' }));
    expect(h.steps.at(-1)).toMatchObject({ intent: 'inform', entities: ['datetime=2026-12-08'] });
    await ask(intent('ParleyDateIntent', { date: '2026-W50' }));
    expect(h.steps.at(-1)).toMatchObject({ said: '2026-W50', intent: 'echo' });
    await ask(intent('ParleyNumberIntent', { number: '12345678' }));
    expect(h.steps.at(-1)).toMatchObject({ said: '12345678', intent: 'echo' });
  });

  it('records the end of a session and answers it with an empty response', async () => {
    const response = await h.post(alexaRequest({ type: 'SessionEndedRequest', reason: 'USER_INITIATED' }));
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ version: '1.0', response: {} });
    const lines = await h.stores.transcripts.read(CONVERSATION);
    expect(lines.map((l) => l.event)).toEqual(['alexa.session_ended']);
    expect(h.steps).toEqual([]);
  });

  describe('refuses requests that fail verification, with no side effect', () => {
    const cases: [string, (h: AlexaHarness) => { body: string; headers?: Record<string, string> }][] = [
      ['no signature headers', () => ({ body: JSON.stringify(utterance('hi')), headers: {} })],
      [
        'a chain URL off the rules',
        (x) => {
          const body = JSON.stringify(utterance('hi'));
          return {
            body,
            headers: x.ca.signedHeaders(body, 'http://s3.amazonaws.com/echo.api/echo-api-cert-test.pem'),
          };
        },
      ],
      [
        'a forged signature',
        (x) => {
          const body = JSON.stringify(utterance('hi'));
          return { body, headers: x.ca.forgedHeaders(body) };
        },
      ],
      [
        'a tampered body',
        (x) => {
          const body = JSON.stringify(utterance('hi'));
          return { body: body.replace('"hi"', '"human"'), headers: x.ca.signedHeaders(body) };
        },
      ],
      [
        'a stale timestamp',
        () => {
          const request = utterance('hi') as { request: { timestamp: string } };
          request.request.timestamp = new Date(Date.now() - 200_000).toISOString();
          return { body: JSON.stringify(request) };
        },
      ],
      [
        "another skill's request",
        () => {
          const request = utterance('hi') as {
            context: { System: { application: { applicationId: string } } };
          };
          request.context.System.application.applicationId = 'amzn1.ask.skill.not-ours';
          return { body: JSON.stringify(request) };
        },
      ],
    ];
    it.each(cases)('%s', async (_label, make) => {
      const { body, headers } = make(h);
      const response = await h.post(body, headers);
      expect(response.status).toBe(400);
      expect(await response.json()).toMatchObject({ error: 'invalid_request' });
      expect(h.steps).toEqual([]);
      expect(await h.stores.transcripts.read(CONVERSATION)).toEqual([]);
      expect(await h.stores.conversations.get(CONVERSATION)).toBeUndefined();
      expect(await h.stores.cases.list()).toEqual([]);
    });
  });

  it('says "one moment" through the Progressive Response API when a turn runs long, then answers', async () => {
    h.slowMs = 600;
    const request = utterance('slow', { apiEndpoint: h.apiEndpoint });
    const response = await ask(request);
    expect(response.outputSpeech?.ssml).toBe('<speak>Sorry for the wait: found it.</speak>');
    expect(h.progressive).toHaveLength(1);
    const [call] = h.progressive;
    expect(call?.path).toBe('/v1/directives');
    expect(call?.headers.authorization).toBe(`Bearer ${API_TOKEN}`);
    expect(call?.body).toEqual({
      header: { requestId: (request.request as { requestId: string }).requestId },
      directive: { type: 'VoicePlayer.Speak', speech: '<speak>One moment while I look that up.</speak>' },
    });
  });

  it('sends no progressive response for a quick turn, and none in Spanish words for an English one', async () => {
    await ask(utterance('quick', { apiEndpoint: h.apiEndpoint }));
    h.slowMs = 600;
    await ask(utterance('slow', { apiEndpoint: h.apiEndpoint, locale: 'es-ES' }));
    expect(h.progressive.map((call) => call.body.directive.speech)).toEqual([
      '<speak>Un momento, lo estoy consultando.</speak>',
    ]);
  });

  it('still answers when the Progressive Response API refuses', async () => {
    h.slowMs = 600;
    h.progressiveStatus = 500;
    const response = await ask(utterance('slow', { apiEndpoint: h.apiEndpoint }));
    expect(h.progressive).toHaveLength(1);
    expect(response.outputSpeech?.ssml).toBe('<speak>Sorry for the wait: found it.</speak>');
  });

  it("never sends the request's API token to a host that is not Alexa's", async () => {
    h.slowMs = 600;
    await ask(utterance('slow', { apiEndpoint: 'https://api.evil.example' }));
    expect(h.progressive).toEqual([]);
  });

  it("ends the session politely when a turn would miss Alexa's deadline", async () => {
    h.slowMs = 3000;
    const started = Date.now();
    const response = await ask(utterance('slow'));
    expect(Date.now() - started).toBeLessThan(2900);
    expect(response.outputSpeech?.ssml).toMatch(/taking longer than it should/);
    expect(response.shouldEndSession).toBe(true);
  });

  it('opens a case with the transcript on escalation and tells the customer a person will call back', async () => {
    await ask(utterance('my router is broken'));
    const response = await ask(utterance('human'));
    expect(response.outputSpeech?.ssml).toMatch(/call you back on the phone number on your account/);
    expect(response.shouldEndSession).toBe(true);
    const [opened] = await h.stores.cases.list();
    expect(opened?.conversationId).toBe(CONVERSATION);
    const said = opened?.package.transcript.filter((l) => l.speaker === 'customer').map((l) => l.text);
    expect(said).toEqual(['my router is broken', 'human']);
    // While the case waits, the speaker says so instead of "a colleague will reply here".
    const later = await ask(utterance('hello?'));
    expect(later.outputSpeech?.ssml).toMatch(/A person can&apos;t join you on this speaker/);
  });

  it('tells a customer known on another channel that a person will reply there', async () => {
    const sms = { channel: 'sms', userId: '+15550001111' };
    await h.stores.identities.resolve(sms, { customerId: 'cust-1', conversationId: 'sms:+15550001111' });
    await h.stores.identities.link({ channel: 'alexa', userId: alexaUserKey(ALEXA_USER) }, 'cust-1');
    const response = await ask(utterance('human'));
    expect(response.outputSpeech?.ssml).toMatch(/reply to you on text message/);
  });
});

describe('Alexa account linking', () => {
  let h: AlexaHarness;
  afterEach(async () => {
    await h.close();
  });

  it("continues the linked customer's conversation when the access token names them", async () => {
    const looked: string[] = [];
    h = await startAlexaHarness({}, async (token) => {
      looked.push(token);
      return token === 'token-of-alice' ? 'cust-alice' : undefined;
    });
    await h.stores.identities.resolve(
      { channel: 'webchat', userId: 'alice-web' },
      { customerId: 'cust-alice', conversationId: 'webchat:alice-web' },
    );
    await ask(launch({ accessToken: 'token-of-alice' }));
    await ask(utterance('my order', { accessToken: 'token-of-alice' }));
    // Looked up once per session, and the speaker's lines join Alice's conversation.
    expect(looked).toEqual(['token-of-alice']);
    const lines = await h.stores.transcripts.read('webchat:alice-web');
    expect(lines.filter((l) => l.speaker === 'customer').map((l) => [l.channel, l.event ?? l.text])).toEqual([
      ['alexa', 'launch'],
      ['alexa', 'my order'],
    ]);
    expect(await h.stores.transcripts.read(CONVERSATION)).toEqual([]);
  });

  it('carries on as an unknown customer when the token names nobody', async () => {
    h = await startAlexaHarness({}, async () => undefined);
    await ask(launch({ accessToken: 'stale-token' }));
    expect((await h.stores.transcripts.read(CONVERSATION)).length).toBe(2);
  });

  async function ask(body: object): Promise<AlexaResponseBody['response']> {
    const response = await h.post(body);
    expect(response.status).toBe(200);
    return ((await response.json()) as AlexaResponseBody).response;
  }
});
