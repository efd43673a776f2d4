import { loadBotDefinition, startParley, type RunningParley } from '../../app/bootstrap';
import { loadConfig } from '../../app/config';
import { postSigned, TEST_AUTH_TOKEN } from '../support/twilio';
import { mulawSilence } from '../../connectors/voice/voice.frames';
import { heardAnswer } from '../support/heard-answer';
import { spokenAudio } from '../support/spoken-audio';
import { silentLogger } from '../../stores/silent-logger';
import { TwilioMediaClient } from '../support/twilio-media-client';

const CALLER = '+15550002222';

describe('a phone call, end to end with offline engines (espeak-ng, sox, pocketsphinx)', () => {
  let parley: RunningParley;

  beforeAll(async () => {
    const config = loadConfig({
      PORT: '0',
      LOG_LEVEL: 'silent',
      PARLEY_RELOAD: 'false',
      PARLEY_TWILIO_AUTH_TOKEN: TEST_AUTH_TOKEN,
    });
    // The bot talks 4x faster than real time here so the test is quick; pacing itself is tested elsewhere.
    parley = await startParley(loadBotDefinition('acme'), config, {
      logger: silentLogger,
      voice: { frameMs: 5 },
    });
  }, 60_000);
  afterAll(() => parley.close());

  it('answers the voice webhook with a Media Stream and refuses unsigned requests and upgrades', async () => {
    const webhook = `${parley.address.url}/webhooks/twilio/voice`;
    const answer = await postSigned(webhook, { CallSid: 'CA1', From: CALLER, To: '+15550009999' });
    expect(answer.status).toBe(200);
    const twiml = await answer.text();
    expect(twiml).toContain(
      `<Stream url="${parley.address.url.replace(/^http/, 'ws')}/webhooks/twilio/media">`,
    );
    expect(twiml).toContain(`<Parameter name="from" value="${CALLER}"/>`);
    const forged = await fetch(webhook, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': 'forged' },
      body: new URLSearchParams({ CallSid: 'CA1', From: CALLER }).toString(),
    });
    expect(forged.status).toBe(403);
    await expect(
      TwilioMediaClient.call(parley.address.url, { from: CALLER, callSid: 'CA2', signature: 'forged' }),
    ).rejects.toThrow(/403/);
  });

  it('hears "where is my order A one zero zero one" and says the order has shipped', async () => {
    const caller = await TwilioMediaClient.call(parley.address.url, {
      token: TEST_AUTH_TOKEN,
      from: CALLER,
      callSid: 'CA0000000000000000000000000000e2e1',
    });
    try {
      await caller.until(() => caller.marks() >= 1); // the greeting was played
      const start = caller.received.length;
      await caller.speak(spokenAudio('where is my order A one zero zero one'), 5);
      await caller.speak(mulawSilence(1000), 5);
      await caller.until(() => caller.marks() >= 2, 30_000);
      const heard = await heardAnswer(caller.audioSince(start));
      expect(heard).toMatch(/^i heard a( \w+){4} /);
      expect(heard).toMatch(/order a( \w+){4} has shipped/);
      expect(heard).not.toMatch(/processed|could not find/);

      const lines = await parley.runtime.stores.transcripts.read('voice:CA0000000000000000000000000000e2e1');
      const said = lines.find((line) => line.speaker === 'customer' && line.text?.includes('A1001'));
      // The bot's grammar holds both "where is" and "where's" (its training phrases): either is right.
      expect(said?.text).toMatch(/^where('s| is) my order A1001$/);
      expect(said).toMatchObject({ intent: 'order_status' });
      expect(said?.data?.speechConfidence).toBeGreaterThan(0);
    } finally {
      caller.hangUp();
    }
  }, 60_000);
});
