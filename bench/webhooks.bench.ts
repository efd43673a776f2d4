// `npm run bench:webhooks`: time-to-2xx of each messaging webhook (REST, Twilio signed, Bot Framework
// /api/messages with auth off) under 50 concurrent senders, as a ratio against REST in the same run.
// Rounds are interleaved (REST, Twilio, Bot Framework, then rotated) so drift hits every channel alike.
// BENCH_ROUNDS (default 6) and BENCH_REQUESTS (per sender per round, default 4) scale it.
import { Agent, request } from 'node:http';
import { loadBotDefinition, startParley } from '../app/bootstrap';
import { loadConfig } from '../app/config';
import { twilioSignature } from '../connectors/twilio/twilio.signature';
import { silentLogger } from '../stores/silent-logger';
import { percentile } from './driver';

const SENDERS = 50;
const ROUNDS = Number(process.env['BENCH_ROUNDS'] ?? 6);
const REQUESTS = Number(process.env['BENCH_REQUESTS'] ?? 4);
const AUTH_TOKEN = 'bench-twilio-auth-token-0123456789';
const OUR_NUMBER = '+15550009999';
const SCRIPT = ['hi', 'where is my order A1001?', 'what are your opening hours?', 'thanks'];

type Channel = 'rest' | 'twilio' | 'botframework';
interface Call {
  path: string;
  headers: Record<string, string>;
  body: string;
}

let sequence = 0;

/** One customer message on `channel` from sender `who`, as that channel's platform would post it. */
function callFor(channel: Channel, base: string, who: string, text: string): Call {
  sequence += 1;
  if (channel === 'rest') {
    const body = JSON.stringify({ sender: `rest-${who}`, message: text });
    return { path: '/webhooks/rest/webhook', headers: { 'content-type': 'application/json' }, body };
  }
  if (channel === 'twilio') {
    const path = '/webhooks/twilio/messages';
    const from = `+1555${String(Number(who) + 1_000_000).slice(-7)}`;
    const sid = `SM${sequence.toString(16).padStart(32, '0')}`;
    const params: Record<string, string> = { MessageSid: sid, From: from, To: OUR_NUMBER, Body: text };
    const signature = twilioSignature(AUTH_TOKEN, `${base}${path}`, Object.entries(params));
    return {
      path,
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': signature },
      body: new URLSearchParams(params).toString(),
    };
  }
  const activity = {
    type: 'message',
    id: `act-${sequence}`,
    channelId: 'emulator',
    serviceUrl: 'http://127.0.0.1:9/',
    deliveryMode: 'expectReplies',
    conversation: { id: `bench-${who}` },
    from: { id: `user-${who}`, name: 'Bench' },
    recipient: { id: 'bot', name: 'Acme' },
    text,
    locale: 'en-GB',
  };
  return {
    path: '/api/messages',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(activity),
  };
}

/** Milliseconds until the response's status line (time to 2xx); rejects on any other status. */
function timed(agent: Agent, base: string, call: Call): Promise<number> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const req = request(
      `${base}${call.path}`,
      { method: 'POST', agent, headers: { ...call.headers, 'content-length': Buffer.byteLength(call.body) } },
      (res) => {
        const elapsed = performance.now() - started;
        res.resume();
        res.on('end', () => {
          const status = res.statusCode ?? 0;
          if (status >= 200 && status < 300) resolve(elapsed);
          else reject(new Error(`${call.path} answered ${status}`));
        });
      },
    );
    req.on('error', reject);
    req.end(call.body);
  });
}

/** 50 senders at once, each sending REQUESTS messages one after another. */
async function round(agent: Agent, base: string, channel: Channel, roundIndex: number): Promise<number[]> {
  const latencies: number[] = [];
  await Promise.all(
    Array.from({ length: SENDERS }, async (_, sender) => {
      const who = String(roundIndex * SENDERS + sender);
      for (let i = 0; i < REQUESTS; i += 1) {
        const text = SCRIPT[i % SCRIPT.length] ?? 'hi';
        latencies.push(await timed(agent, base, callFor(channel, base, who, text)));
      }
    }),
  );
  return latencies;
}

async function main(): Promise<void> {
  const config = loadConfig({
    PORT: '0',
    HOST: '127.0.0.1',
    LOG_LEVEL: 'silent',
    PARLEY_RELOAD: 'false',
    PARLEY_TWILIO_AUTH_TOKEN: AUTH_TOKEN,
  });
  const parley = await startParley(loadBotDefinition('acme'), config, { logger: silentLogger });
  const base = parley.address.url;
  const agent = new Agent({ keepAlive: true, maxSockets: SENDERS });
  const channels: Channel[] = ['rest', 'twilio', 'botframework'];
  const samples: Record<Channel, number[]> = { rest: [], twilio: [], botframework: [] };
  try {
    for (const channel of channels) await round(agent, base, channel, -1); // warm-up, not counted
    for (let r = 0; r < ROUNDS; r += 1) {
      const order = channels.map((_, i) => channels[(i + r) % channels.length] as Channel);
      for (const channel of order) samples[channel].push(...(await round(agent, base, channel, r)));
    }
  } finally {
    agent.destroy();
    await parley.close();
  }
  const stats = (values: number[]) => {
    const sorted = [...values].sort((a, b) => a - b);
    const mean = sorted.reduce((sum, v) => sum + v, 0) / sorted.length;
    return { n: sorted.length, mean, p50: percentile(sorted, 50), p95: percentile(sorted, 95) };
  };
  const rest = stats(samples.rest);
  console.log(
    `Webhook time-to-2xx, ${SENDERS} concurrent senders, ${ROUNDS} interleaved rounds (acme bot, memory)`,
  );
  console.log('channel        requests   mean ms   p50 ms   p95 ms   p50 vs REST   p95 vs REST');
  for (const channel of channels) {
    const s = stats(samples[channel]);
    const cells = [
      channel.padEnd(13),
      String(s.n).padStart(9),
      s.mean.toFixed(1).padStart(9),
      s.p50.toFixed(1).padStart(8),
      s.p95.toFixed(1).padStart(8),
      `${(s.p50 / rest.p50).toFixed(2)}×`.padStart(13),
      `${(s.p95 / rest.p95).toFixed(2)}×`.padStart(13),
    ];
    console.log(cells.join(' '));
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
