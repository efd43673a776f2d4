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
  const wav = readWav(await readFile(options.wav));
  const mono = wav.samples.filter((_, i) => i % wav.channels === 0);
  return pcmToMulaw(resample(mono, wav.sampleRateHertz, MULAW_8K.sampleRateHertz));
}

/**
 * `parley call`: phones a running Parley with no Twilio account. Opens the media WebSocket as Twilio would
 * (signed with the auth token), plays the greeting's end, speaks the caller's audio in real time, and saves
 * everything the bot said as a WAV file.
 */
export async function callCommand(options: CallOptions, io: CliOutput): Promise<void> {
  const token = options.token ?? loadConfig().twilio?.authToken;
  if (!token) {
    io.err('no auth token: pass --token or set PARLEY_TWILIO_AUTH_TOKEN (the server needs it too)\n');
    process.exitCode = 1;
    return;
  }
  const url = `${options.url.replace(/\/+$/, '').replace(/^http/, 'ws')}/webhooks/twilio/media`;
  const ws = new WebSocket(url, { headers: { 'x-twilio-signature': twilioSignature(token, url, []) } });
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  const streamSid = `MZ${randomUUID().replace(/-/g, '')}`;
  const answer: Buffer[] = [];
  let marks = 0;
  ws.on('message', (data) => {
    const event = JSON.parse(data.toString()) as {
      event: string;
      media?: { payload: string };
      mark?: { name: string };
    };
    if (event.event === 'media' && event.media) answer.push(Buffer.from(event.media.payload, 'base64'));
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
  const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
  for (let waited = 0; marks === 0 && waited < 30_000; waited += 100) await sleep(100);
  io.out(`greeting heard; speaking (${options.wav ?? `"${options.say}"`})\n`);
  for (const frame of toFrames(Buffer.concat([await callerAudio(options), mulawSilence(1000)]))) {
    send({ event: 'media', streamSid, media: { payload: frame.toString('base64') } });
    await sleep(20);
  }
  const before = marks;
  const deadline = Date.now() + Number(options.wait) * 1000;
  while (marks === before && Date.now() < deadline && ws.readyState === ws.OPEN) await sleep(100);
  send({ event: 'stop', streamSid });
  ws.close();
  await writeFile(options.out, writeWav(mulawToPcm(Buffer.concat(answer)), MULAW_8K.sampleRateHertz));
  io.out(
    `the bot's side of the call (${(Buffer.concat(answer).length / 8000).toFixed(1)} s) is in ${options.out}\n`,
  );
}
