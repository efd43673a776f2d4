import { randomUUID } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import WebSocket from 'ws';
import { loadConfig } from '../../app/config';
import { twilioSignature } from '../../connectors/twilio/twilio.signature';
import { mulawSilence, toFrames } from '../../connectors/voice/voice.frames';
import { MULAW_8K } from '../../connectors/voice/voice.session';
import { EspeakTextToSpeech, mulawToPcm, pcmToMulaw, readWav, resample, writeWav } from '../../speech';
import type { CliOutput } from '../commands/flows';

export interface CallOptions {
  url: string;
  wav?: string;
  say?: string;
  from: string;
  out: string;
  token?: string;
  /** Seconds to wait for the answer after the caller stops talking. */
  wait: string;
}

/** The caller's audio as 8 kHz μ-law: a 16-bit PCM WAV file (its first channel), or text spoken by espeak-ng. */
async function callerAudio(options: CallOptions): Promise<Buffer> {
  if (!options.wav)
    return new EspeakTextToSpeech().synthesize({ text: options.say ?? 'hello', locale: 'en-US' }, MULAW_8K);
  let wav: ReturnType<typeof readWav>;
  try {
    wav = readWav(await readFile(options.wav));
  } catch (error) {
    const reason =
      (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message;
    throw new Error(`cannot play ${options.wav}: ${reason}`, { cause: error });
  }
  const mono = wav.samples.filter((_, i) => i % wav.channels === 0);
  return pcmToMulaw(resample(mono, wav.sampleRateHertz, MULAW_8K.sampleRateHertz));
}

/** Opens the media socket as Twilio would (a signed upgrade); a refusal or no server is one clear line. */
async function openMediaSocket(base: string, token: string): Promise<WebSocket> {
  const url = `${base.replace(/\/+$/, '').replace(/^http/, 'ws')}/webhooks/twilio/media`;
  const ws = new WebSocket(url, { headers: { 'x-twilio-signature': twilioSignature(token, url, []) } });
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('unexpected-response', (_request, response) =>
      reject(
        new Error(
          response.statusCode === 403
            ? `${url} refused the call (403): the server's PARLEY_TWILIO_AUTH_TOKEN is not this token`
            : `${url} refused the call (${response.statusCode})`,
        ),
      ),
    );
    ws.once('error', (error) => reject(new Error(`cannot reach ${url}: ${error.message}`)));
  });
  return ws;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * `parley call`: phones a running Parley with no Twilio account. Opens the media WebSocket as Twilio would
 * (signed with the auth token), waits for the greeting to be played, speaks the caller's audio in real time,
 * and saves what the bot answered (everything it said after the greeting) as a WAV file.
 */
export async function callCommand(options: CallOptions, io: CliOutput): Promise<void> {
  const token = options.token ?? loadConfig().twilio?.authToken;
  const waitSeconds = Number(options.wait);
  const problem = !token
    ? 'no auth token: pass --token or set PARLEY_TWILIO_AUTH_TOKEN (the server needs it too)'
    : !(waitSeconds > 0)
      ? `--wait must be a number of seconds, not "${options.wait}"`
      : undefined;
  if (problem || !token) {
    io.err(`${problem}\n`);
    process.exitCode = 1;
    return;
  }
  const speech = await callerAudio(options);
  const ws = await openMediaSocket(options.url, token);
  const streamSid = `MZ${randomUUID().replace(/-/g, '')}`;
  const heard: Buffer[] = [];
  let marks = 0;
  let answering = false;
  ws.on('message', (data) => {
    const event = JSON.parse(data.toString()) as {
      event: string;
      media?: { payload: string };
      mark?: { name: string };
    };
    if (event.event === 'media' && event.media && answering)
      heard.push(Buffer.from(event.media.payload, 'base64'));
    if (event.event === 'mark' && event.mark) {
      marks += 1;
      ws.send(JSON.stringify({ event: 'mark', streamSid, mark: event.mark }));
    }
  });
  const send = (event: object) => ws.send(JSON.stringify(event));
  send({ event: 'connected', protocol: 'Call', version: '1.0.0' });
  const callSid = `CA${randomUUID().replace(/-/g, '')}`;
  send({
    event: 'start',
    streamSid,
    start: { streamSid, callSid, customParameters: { from: options.from } },
  });
  for (let waited = 0; marks === 0 && waited < 30_000; waited += 100) await sleep(100);
  io.out(`greeting heard; speaking (${options.wav ?? `"${options.say}"`})\n`);
  answering = true;
  for (const frame of toFrames(Buffer.concat([speech, mulawSilence(1000)]))) {
    send({ event: 'media', streamSid, media: { payload: frame.toString('base64') } });
    await sleep(20);
  }
  const before = marks;
  const deadline = Date.now() + waitSeconds * 1000;
  while (marks === before && Date.now() < deadline && ws.readyState === ws.OPEN) await sleep(100);
  send({ event: 'stop', streamSid });
  ws.close();
  const answer = Buffer.concat(heard);
  await writeFile(options.out, writeWav(mulawToPcm(answer), MULAW_8K.sampleRateHertz));
  if (answer.length === 0) {
    io.err(`the bot said nothing within ${waitSeconds} s (an empty ${options.out} was written)\n`);
    process.exitCode = 1;
    return;
  }
  io.out(`the bot's answer (${(answer.length / 8000).toFixed(1)} s) is in ${options.out}\n`);
}
