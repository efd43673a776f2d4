import { startHarness, type Harness } from '../../test/support/twilio-harness';
import { parseForm, twilioSignature } from './twilio.signature';
import {
  messageSid,
  OUR_NUMBER,
  postSigned,
  TEST_AUTH_TOKEN,
  twimlMessages,
} from '../../test/support/twilio';
import { seededRandom as random } from '../../core/random';

// A few hundred by default; `PARLEY_FUZZ_RUNS=10000 npx jest connectors/twilio/twilio.fuzz` for the full run.
const RUNS = Number(process.env.PARLEY_FUZZ_RUNS ?? 300);
const CONCURRENCY = 16;

const FIELDS = ['MessageSid', 'From', 'To', 'Body', 'NumMedia', 'MediaContentType0', 'AccountSid', 'SmsSid'];
const NASTY = [
  '',
  ' ',
  'whatsapp:',
  'whatsapp:+1',
  'STOP',
  'start',
  '2',
  '%',
  '%zz',
  '+',
  '&&&',
  '=',
  '\u0000',
  '\uFFFF',
  '\uD800',
  '<Response>',
  ']]>',
  '-1',
  '1e309',
  'NaN',
  '99999999999999999999',
  '{"a":1}',
  '../../etc/passwd',
  'a'.repeat(2000),
  '😀'.repeat(50),
];

function pick<T>(rand: () => number, items: readonly T[]): T {
  return items[Math.floor(rand() * items.length)] as T;
}

function randomText(rand: () => number, max: number): string {
  const length = Math.floor(rand() * max);
  let out = '';
  for (let i = 0; i < length; i += 1)
    out += String.fromCharCode(Math.floor(rand() * (rand() < 0.8 ? 128 : 0xffff)));
  return out;
}

function wellFormedBody(): Buffer {
  const form = new URLSearchParams({ MessageSid: messageSid(), From: '+15550001111', Body: 'hello' });
  return Buffer.from(form.toString());
}

/** One malformed request body: broken forms, wrong types, odd values, random bytes. */
function malformedBody(rand: () => number): Buffer {
  const kind = Math.floor(rand() * 5);
  if (kind === 0)
    return Buffer.from(Array.from({ length: Math.floor(rand() * 300) }, () => Math.floor(rand() * 256)));
  if (kind === 1) return Buffer.from(randomText(rand, 400), 'utf8');
  const form = new URLSearchParams();
  const count = Math.floor(rand() * 8);
  for (let i = 0; i < count; i += 1) {
    const name = rand() < 0.8 ? pick(rand, FIELDS) : randomText(rand, 12);
    const value = rand() < 0.6 ? pick(rand, NASTY) : randomText(rand, 80);
    form.append(name, value);
  }
  if (kind === 2 && rand() < 0.5) {
    form.set('MessageSid', messageSid());
    form.set('From', pick(rand, ['+15550001111', 'whatsapp:+15550002222', pick(rand, NASTY)]));
    form.set('NumMedia', pick(rand, ['0', '1', '3', '-2', '21', 'x', '']));
  }
  return Buffer.from(form.toString());
}

describe('Twilio webhook fuzz', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => {
    await h.close();
  });

  it(`answers ${RUNS} malformed payloads with 2xx or 4xx only, and keeps working`, async () => {
    // Fixed by default so CI is repeatable; PARLEY_FUZZ_SEED explores others.
    const seed = Number(process.env.PARLEY_FUZZ_SEED ?? 20261204);
    const rand = random(seed);
    const statuses = new Map<number, number>();
    let next = 0;
    const worker = async () => {
      while (next < RUNS) {
        next += 1;
        // One request in ten is well formed, so every run also proves real messages still get through.
        const wellFormed = next % 10 === 0;
        const body = wellFormed ? wellFormedBody() : malformedBody(rand);
        // Most requests are signed correctly, so the fuzz reaches parsing, keywords and the turn.
        const roll = rand();
        const signature =
          wellFormed || roll < 0.7
            ? twilioSignature(TEST_AUTH_TOKEN, h.webhook, parseForm(body))
            : roll < 0.85
              ? randomText(rand, 40).replace(/[^\x20-\x7e]/g, 'A')
              : undefined;
        const response = await fetch(h.webhook, {
          method: 'POST',
          headers: {
            'content-type': wellFormed
              ? 'application/x-www-form-urlencoded'
              : pick(rand, ['application/x-www-form-urlencoded', 'text/plain', 'application/json']),
            ...(signature !== undefined ? { 'x-twilio-signature': signature } : {}),
          },
          body: new Uint8Array(body),
        });
        await response.arrayBuffer();
        statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
        if (response.status >= 500 || response.status < 200) {
          throw new Error(`seed ${seed}: status ${response.status} for ${body.toString('base64')}`);
        }
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
    expect([...statuses.values()].reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(RUNS);
    expect(statuses.get(403)).toBeGreaterThan(0);
    expect(statuses.get(200)).toBeGreaterThan(0);
    const after = await postSigned(h.webhook, {
      MessageSid: messageSid(),
      From: '+15559990000',
      To: OUR_NUMBER,
      Body: 'hi',
    });
    expect(twimlMessages(await after.text())).toEqual(['You said: hi']);
  }, 180_000);
});
