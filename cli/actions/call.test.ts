import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadBotDefinition, startParley, type RunningParley } from '../../app/bootstrap';
import { loadConfig } from '../../app/config';
import { pcmToMulaw, readWav } from '../../speech/audio';
import { silentLogger } from '../../stores/silent-logger';
import { heardAnswer } from '../../test/support/heard-answer';
import { TEST_AUTH_TOKEN } from '../../test/support/twilio';
import { callCommand, type CallOptions } from './call';

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { out: (text: string) => out.push(text), err: (text: string) => err.push(text) }, out, err };
}

describe('parley call (against a running bot, offline engines)', () => {
  let parley: RunningParley;
  let dir: string;
  let options: CallOptions;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'parley-call-'));
    const config = loadConfig({
      PORT: '0',
      LOG_LEVEL: 'silent',
      PARLEY_RELOAD: 'false',
      PARLEY_TWILIO_AUTH_TOKEN: TEST_AUTH_TOKEN,
    });
    // The bot talks 4x faster than real time so the greeting is quick; the command speaks in real time.
    parley = await startParley(loadBotDefinition('acme'), config, {
      logger: silentLogger,
      voice: { frameMs: 5 },
    });
    options = {
      url: parley.address.url,
      from: '+15550006666',
      out: join(dir, 'answer.wav'),
      wait: '20',
      token: TEST_AUTH_TOKEN,
    };
  }, 60_000);
  afterAll(async () => {
    await parley.close();
    rmSync(dir, { recursive: true, force: true });
  });
  afterEach(() => {
    process.exitCode = undefined;
  });

  it('plays a WAV (espeak-ng, 22.05 kHz) into the call and saves the answer, which says the order shipped', async () => {
    const question = join(dir, 'question.wav');
    execFileSync('espeak-ng', ['-w', question, 'where is my order A one zero zero one']);
    const { io, out, err } = capture();
    await callCommand({ ...options, wav: question }, io);
    expect(err).toEqual([]);
    expect(process.exitCode).toBeUndefined();
    expect(out.join('')).toContain(`speaking (${question})`);
    expect(out.join('')).toMatch(/the bot's answer \(\d+\.\d s\) is in .*answer\.wav/);

    const answer = readWav(readFileSync(options.out));
    expect(answer.sampleRateHertz).toBe(8000);
    const heard = await heardAnswer(pcmToMulaw(answer.samples));
    // The answer only: it starts with the read-back, not with the greeting.
    expect(heard).toMatch(/^i heard a( \w+){4} /);
    expect(heard).toMatch(/order a( \w+){4} has shipped/);
  }, 60_000);

  it('says in one line which WAV it cannot play, before calling', async () => {
    const notWav = join(dir, 'notes.wav');
    writeFileSync(notWav, 'these are not samples');
    await expect(callCommand({ ...options, wav: notWav }, capture().io)).rejects.toThrow(
      `cannot play ${notWav}: not a RIFF/WAVE file`,
    );
    await expect(callCommand({ ...options, wav: join(dir, 'missing.wav') }, capture().io)).rejects.toThrow(
      `cannot play ${join(dir, 'missing.wav')}: no such file`,
    );
  });

  it('refuses a wrong token and a server that is not there with one clear line each', async () => {
    await expect(callCommand({ ...options, token: 'not-the-token' }, capture().io)).rejects.toThrow(
      /refused the call \(403\): the server's PARLEY_TWILIO_AUTH_TOKEN is not this token$/,
    );
    await expect(callCommand({ ...options, url: 'http://127.0.0.1:9' }, capture().io)).rejects.toThrow(
      /^cannot reach ws:\/\/127\.0\.0\.1:9\/webhooks\/twilio\/media: .*ECONNREFUSED/,
    );
    const { io, err } = capture();
    await callCommand({ ...options, wait: 'soon' }, io);
    expect(err.join('')).toBe('--wait must be a number of seconds, not "soon"\n');
    expect(process.exitCode).toBe(1);
  });
});
