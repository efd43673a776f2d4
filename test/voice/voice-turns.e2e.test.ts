/**
 * Turn taking on a phone call, end to end with the offline engines: the caller's words are spoken by espeak-ng
 * and converted by sox, streamed into the media socket in 20 ms frames by a client speaking Twilio's protocol;
 * pocketsphinx hears them in Parley, espeak-ng answers, and pocketsphinx hears the answer back here.
 */
import { loadBotDefinition, startParley, type RunningParley } from '../../app/bootstrap';
import { loadConfig } from '../../app/config';
import { mulawSilence } from '../../connectors/voice/voice.frames';
import { silentLogger } from '../../stores/silent-logger';
import { heardAnswer } from '../support/heard-answer';
import { spokenAudio } from '../support/spoken-audio';
import { TEST_AUTH_TOKEN } from '../support/twilio';
import { TwilioMediaClient, type Received } from '../support/twilio-media-client';

const clears = (received: Received[]) => received.filter((item) => item.event === 'clear');

describe('turn taking on a call, end to end with offline engines', () => {
  let parley: RunningParley;

  beforeAll(async () => {
    const config = loadConfig({
      PORT: '0',
      LOG_LEVEL: 'silent',
      PARLEY_RELOAD: 'false',
      PARLEY_TWILIO_AUTH_TOKEN: TEST_AUTH_TOKEN,
    });
    // The bot talks 4x faster than real time so the test is quick; the caller does too.
    parley = await startParley(loadBotDefinition('acme'), config, {
      logger: silentLogger,
      voice: { frameMs: 5 },
    });
  }, 60_000);
  afterAll(() => parley.close());

  const call = (callSid: string, from: string) =>
    TwilioMediaClient.call(parley.address.url, { token: TEST_AUTH_TOKEN, from, callSid });

  it('barge-in: the caller talks over the greeting, the bot clears and stops, then answers them', async () => {
    const caller = await call('CA00000000000000000000000000barge1', '+15550003333');
    try {
      await caller.until((got) => got.some((item) => item.event === 'media')); // the greeting is playing
      const speech = spokenAudio('where is my order A one zero zero one');
      await caller.speak(speech, 5);
      const spokeUntil = performance.now();
      await caller.speak(mulawSilence(1000), 5);
      await caller.until((got) => got.some((item) => item.event === 'mark'), 30_000);

      const [clear, ...more] = clears(caller.received);
      expect(clear).toBeDefined();
      expect(more).toEqual([]);
      // The clear came while the caller was still talking, before any mark: the greeting never finished.
      expect(clear?.at).toBeLessThan(spokeUntil);
      const clearIndex = caller.received.indexOf(clear as Received);
      expect(caller.received.slice(0, clearIndex).some((item) => item.event === 'mark')).toBe(false);
      // Everything after the clear is the answer: no rest of the greeting.
      const heard = await heardAnswer(caller.audioSince(clearIndex));
      expect(heard).toMatch(/^i heard a( \w+){4} /);
      expect(heard).toMatch(/order a( \w+){4} has shipped/);
    } finally {
      caller.hangUp();
    }
  }, 60_000);

  it('DTMF: the caller keys the order number and #, and hears that it has shipped', async () => {
    const callSid = 'CA000000000000000000000000000dtmf1';
    const caller = await call(callSid, '+15550004444');
    try {
      await caller.until(() => caller.marks() >= 1); // the greeting was played
      await caller.speak(spokenAudio('where is my order'), 5);
      await caller.speak(mulawSilence(1000), 5);
      await caller.until(() => caller.marks() >= 2, 30_000); // asked for the order number
      const keyed = caller.received.length;
      for (const key of '1001#') {
        caller.dtmf(key);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      await caller.until(() => caller.marks() >= 3, 30_000);
      const heard = await heardAnswer(caller.audioSince(keyed));
      // The read-back of the keyed code (espeak-ng's quick digits are not always heard exactly), then the answer.
      expect(heard).toMatch(/^i heard a( \w+){4,5} /);
      expect(heard).toMatch(/order a one zero zero one has shipped/);
      expect(clears(caller.received)).toEqual([]);

      const lines = await parley.runtime.stores.transcripts.read(`voice:${callSid}`);
      const customer = lines.filter((line) => line.speaker === 'customer').map((line) => line.text);
      expect(customer.at(-1)).toBe('A1001');
      expect(customer.at(-2)).toMatch(/^where('s| is) my order$/);
    } finally {
      caller.hangUp();
    }
  }, 60_000);
});
