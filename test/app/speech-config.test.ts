import { loadConfig } from '../../app/config';
import { loadTrainingData } from '../../nlu/loader';
import { createSpeechEngines } from '../../speech';

describe('speech settings', () => {
  it('is offline unless Google is configured', () => {
    expect(loadConfig({}).speech).toEqual({ stt: 'pocketsphinx' });
  });

  it('picks Google when a service-account key is set, with its model', () => {
    const env = {
      GOOGLE_APPLICATION_CREDENTIALS: '/secrets/key.json',
      PARLEY_GOOGLE_SPEECH_MODEL: 'latest_short',
    };
    expect(loadConfig(env).speech).toEqual({
      stt: 'google',
      google: { keyFile: '/secrets/key.json', model: 'latest_short' },
    });
  });

  it('lets PARLEY_STT choose either way, and refuses an unknown engine', () => {
    expect(loadConfig({ PARLEY_STT: 'google' }).speech).toEqual({ stt: 'google', google: {} });
    expect(
      loadConfig({ PARLEY_STT: 'pocketsphinx', GOOGLE_APPLICATION_CREDENTIALS: '/k.json' }).speech.stt,
    ).toBe('pocketsphinx');
    expect(() => loadConfig({ PARLEY_STT: 'whisper' })).toThrow('PARLEY_STT');
  });
});

describe('createSpeechEngines', () => {
  it('builds the offline pair by default and Google when asked', async () => {
    const training = await loadTrainingData('bots/acme/nlu');
    const offline = await createSpeechEngines({ stt: 'pocketsphinx' }, { training });
    expect([offline.stt.name, offline.tts.name]).toEqual(['pocketsphinx', 'espeak-ng']);
    await offline.dispose();
    const google = await createSpeechEngines(
      { stt: 'google', google: {} },
      { training },
      { credentials: { client_email: 'test@example.com', private_key: 'not-a-key' } },
    );
    expect([google.stt.name, google.tts.name]).toEqual(['google', 'espeak-ng']);
    await google.dispose();
  });
});
