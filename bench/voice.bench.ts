/**
 * `npm run bench:voice`: phone-call latency with the offline engines, through the real turn pipeline (the acme
 * bot), the media socket, pocketsphinx (the caller's words, spoken by espeak-ng and converted by sox) and
 * espeak-ng (the bot's answer). One call, many turns: the caller asks, and while the answer plays asks again,
 * speaking in real time, which barges in.
 *
 * Prints p50/p99 of: final transcript → first audio frame sent, split into Parley's share (everything on the
 * critical path that is not the TTS engine's own run) and the engine's (espeak-ng's process for the first
 * sentence); and caller speech onset during playback (the first audible frame sent) → `clear` received.
 * Recognition time is not in the first figure: it ends at the final transcript. On a busy machine the wall-clock
 * shares stretch with every process waiting for a core; the CPU time this process used over the same span is
 * Parley's work itself (an upper bound: it includes the test caller and the garbage collector). VOICE_BENCH_TURNS (default
 * 100) sets the number of turns.
 */
import { loadBotDefinition, startParley } from '../app/bootstrap';
import { loadConfig } from '../app/config';
import { TEST_AUTH_TOKEN } from '../test/support/twilio';
import { FRAME_BYTES, frameAt, mulawSilence } from '../connectors/voice/voice.frames';
import { EspeakTextToSpeech, mulawToPcm } from '../speech';
import { rms } from '../speech/audio';
import type { TurnTiming } from '../connectors/voice/voice.session';
import { silentLogger } from '../stores/silent-logger';
import { spokenAudio } from '../test/support/spoken-audio';
import { TwilioMediaClient } from '../test/support/twilio-media-client';

const TURNS = Number(process.env.VOICE_BENCH_TURNS ?? 100);
const QUESTION = 'what are your opening hours';
/** Quiet enough for the VAD to end the utterance (700 ms), with room to spare. */
const END_OF_UTTERANCE = mulawSilence(900);
/** The VAD's floor for speech: a frame this loud is the caller audibly talking. */
const AUDIBLE_RMS = 300;

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

function line(name: string, values: number[]): string {
  const p50 = percentile(values, 50).toFixed(1).padStart(7);
  return `${name.padEnd(48)} p50 ${p50} ms   p99 ${percentile(values, 99).toFixed(1).padStart(7)} ms`;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** One turn's figures: the whole, the engine's run on the critical path, and Parley's steps. */
function split(timing: TurnTiming, processMs: number) {
  const total = timing.firstFrameAt - timing.finalAt;
  // The engine's run counts only where nothing else was going on (synthesis may overlap the pipeline).
  const engine = Math.max(0, Math.min(processMs, timing.synthesizedAt - timing.handledAt));
  return {
    total,
    engine,
    parley: total - engine,
    pipeline: timing.handledAt - timing.finalAt,
    conversion: timing.synthesizedAt - timing.synthesisStartedAt - processMs,
    framing: timing.firstFrameAt - timing.synthesizedAt,
    cpu: timing.cpuMs,
  };
}

/**
 * Speaks `audio` in real time until the bot clears its playback, then the rest at once (the recogniser
 * does not care about pacing); resolves onset → clear in ms.
 */
async function bargeIn(caller: TwilioMediaClient, audio: Buffer): Promise<number> {
  const clearsBefore = caller.received.filter((item) => item.event === 'clear').length;
  const cleared = () => caller.received.filter((item) => item.event === 'clear').length > clearsBefore;
  let onset: number | undefined;
  let offset = 0;
  const started = performance.now();
  for (let i = 0; offset < audio.length && !cleared(); i += 1, offset += FRAME_BYTES) {
    const frame = frameAt(audio, offset);
    if (onset === undefined && rms(mulawToPcm(frame)) >= AUDIBLE_RMS) onset = performance.now();
    caller.send({
      event: 'media',
      streamSid: caller.streamSid,
      media: { payload: frame.toString('base64') },
    });
    const wait = started + (i + 1) * 20 - performance.now();
    if (wait > 0) await sleep(wait);
  }
  await caller.until(cleared, 5_000);
  await caller.speak(audio.subarray(offset), 0);
  const clear = caller.received.filter((item) => item.event === 'clear').at(-1);
  if (onset === undefined || !clear) throw new Error('no audible speech or no clear');
  return clear.at - onset;
}

async function main(): Promise<void> {
  const timings: { timing: TurnTiming; processMs: number }[] = [];
  const processMs = new Map<string, number>();
  const config = loadConfig({
    PORT: '0',
    LOG_LEVEL: 'silent',
    PARLEY_RELOAD: 'false',
    PARLEY_TWILIO_AUTH_TOKEN: TEST_AUTH_TOKEN,
  });
  const parley = await startParley(loadBotDefinition('acme'), config, {
    logger: silentLogger,
    voice: {
      tts: new EspeakTextToSpeech({ onTiming: (t) => processMs.set(t.text, t.processMs) }),
      silenceMs: 600_000,
      onTiming: (timing) => timings.push({ timing, processMs: processMs.get(timing.firstSentence) ?? 0 }),
    },
  });
  const question = Buffer.concat([spokenAudio(QUESTION), END_OF_UTTERANCE]);
  const caller = await TwilioMediaClient.call(parley.address.url, {
    token: TEST_AUTH_TOKEN,
    from: '+15551000001',
    callSid: 'CAbench0000000000000000000000000',
  });
  const bargeIns: number[] = [];
  try {
    await caller.until(() => timings.length >= 1); // the greeting is playing
    await sleep(200);
    await bargeIn(caller, question);
    for (let turn = 0; turn < TURNS; turn += 1) {
      const answered = timings.length + 1;
      await caller.until(() => timings.length >= answered, 20_000);
      await sleep(200); // into the answer
      bargeIns.push(await bargeIn(caller, question));
    }
    await caller.until(() => timings.length >= TURNS + 2, 20_000);
  } finally {
    caller.hangUp();
    await parley.close();
  }
  const turns = timings.slice(1, TURNS + 1).map((turn) => split(turn.timing, turn.processMs));
  const column = (key: keyof ReturnType<typeof split>) => turns.map((turn) => turn[key]);
  console.log(
    `voice bench: ${turns.length} turns of one call, acme bot, pocketsphinx + espeak-ng, in-memory stores`,
  );
  console.log(line('final transcript → first audio frame', column('total')));
  console.log(line('  Parley (everything but the engine)', column('parley')));
  console.log(line('    turn pipeline (NLU, dialog, commit)', column('pipeline')));
  console.log(line('    WAV decode, resample, μ-law', column('conversion')));
  console.log(line('    audio ready → first frame on the socket', column('framing')));
  console.log(line('  engine (espeak-ng run, first sentence)', column('engine')));
  console.log(line("Parley's CPU time in the same span", column('cpu')));
  console.log(line('caller speech onset during playback → clear', bargeIns));
}

void main();
