/**
 * `npm run bench:voice`: phone-call latency through the real turn pipeline (the acme bot), the media socket
 * and espeak-ng. Caller "speech" is a tone recognised by a scripted engine, so the figures are Parley's and
 * the TTS engine's, not a recogniser's. Prints p50/p99 of: final transcript → first audio frame sent
 * (split into Parley's share and the TTS engine's), and caller speech onset during playback → `clear`.
 * VOICE_BENCH_TURNS (default 100) sets the number of turns.
 */
import { loadBotDefinition, startParley } from '../app/bootstrap';
import { loadConfig } from '../app/config';
import { twilioSignature } from '../connectors/twilio/twilio.signature';
import { TEST_AUTH_TOKEN } from '../test/support/twilio';
import { mulawSilence } from '../connectors/voice/voice.frames';
import { EspeakTextToSpeech } from '../speech';
import type { TurnTiming } from '../connectors/voice/voice.session';
import { silentLogger } from '../stores/silent-logger';
import { TwilioMediaClient } from '../test/support/twilio-media-client';
import { scriptedSpeechToText, tone } from '../test/support/voice-engines';

const TURNS = Number(process.env.VOICE_BENCH_TURNS ?? 100);

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

function line(name: string, values: number[]): string {
  return `${name.padEnd(44)} p50 ${percentile(values, 50).toFixed(1).padStart(7)} ms   p99 ${percentile(values, 99).toFixed(1).padStart(7)} ms`;
}

async function main(): Promise<void> {
  const timings: TurnTiming[] = [];
  const config = loadConfig({
    PORT: '0',
    LOG_LEVEL: 'silent',
    PARLEY_RELOAD: 'false',
    PARLEY_TWILIO_AUTH_TOKEN: TEST_AUTH_TOKEN,
  });
  const parley = await startParley(loadBotDefinition('acme'), config, {
    logger: silentLogger,
    voice: {
      stt: scriptedSpeechToText({ 600: 'what are your opening hours', 1000: 'thanks' }),
      tts: new EspeakTextToSpeech(),
      silenceMs: 600_000,
      // Pacing does not change the figures measured (first frame out, clear) and 100 greetings at real time are slow.
      frameMs: 1,
      onTiming: (timing) => timings.push(timing),
    },
  });
  const url = `${parley.address.url.replace(/^http/, 'ws')}/webhooks/twilio/media`;
  const signature = twilioSignature(TEST_AUTH_TOKEN, url, []);
  const bargeIns: number[] = [];
  const answers: TurnTiming[] = [];
  try {
    for (let turn = 0; turn < TURNS; turn += 1) {
      const caller = await TwilioMediaClient.call(parley.address.url, {
        from: `+1555100${String(turn).padStart(4, '0')}`,
        callSid: `CAbench${turn}`,
        signature,
      });
      await caller.until(() => caller.marks() >= 1);
      const before = timings.length;
      await caller.speak(Buffer.concat([tone(600, 300), mulawSilence(300)]), 0);
      await caller.until(
        () => timings.length > before && caller.received.some((item, i) => i > 0 && item.event === 'media'),
      );
      const answer = timings[before];
      if (answer) answers.push(answer);
      // Barge in while the answer plays: onset = the second loud frame (the detector's onset) leaving here.
      await new Promise((resolve) => setTimeout(resolve, 100));
      const clearsBefore = caller.received.filter((item) => item.event === 'clear').length;
      await caller.speak(tone(1000, 20), 0);
      const onset = performance.now();
      await caller.speak(tone(1000, 20), 0);
      await caller.until((got) => got.filter((item) => item.event === 'clear').length > clearsBefore);
      const clear = caller.received.filter((item) => item.event === 'clear').at(-1);
      if (clear && clear.event === 'clear') bargeIns.push(clear.at - onset);
      caller.hangUp();
    }
  } finally {
    await parley.close();
  }
  const total = answers.map((t) => t.firstFrameAt - t.finalAt);
  const engine = answers.map((t) => t.synthesisMs);
  const own = answers.map((t) => t.firstFrameAt - t.finalAt - t.synthesisMs);
  const pipeline = answers.map((t) => t.handledAt - t.finalAt);
  console.log(`voice bench: ${answers.length} turns, acme bot, espeak-ng TTS, in-memory stores`);
  console.log(line('final transcript → first audio frame', total));
  console.log(line('  Parley (pipeline, NLU, dialog, framing)', own));
  console.log(line('    of which the turn pipeline', pipeline));
  console.log(line('  engines (espeak-ng, first sentence)', engine));
  console.log(line('speech onset during playback → clear', bargeIns));
}

void main();
