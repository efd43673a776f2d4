import {
  launch,
  SKILL_ID,
  startAlexaHarness,
  utterance,
  type AlexaHarness,
} from '../../test/support/alexa-harness';
import { seededRandom as random } from '../../core/random';

// A few hundred by default; `PARLEY_FUZZ_RUNS=10000 npx jest connectors/alexa/alexa.fuzz` for the full run.
const RUNS = Number(process.env.PARLEY_FUZZ_RUNS ?? 300);
const CONCURRENCY = 8;

const NASTY: unknown[] = [
  '',
  ' ',
  null,
  0,
  -1,
  '1e309',
  Number.MAX_SAFE_INTEGER * 4,
  true,
  [],
  {},
  '\u0000',
  '\uD800',
  '<speak>',
  ']]>',
  '../../etc/passwd',
  'a'.repeat(5000),
  '😀'.repeat(100),
  'LaunchRequest',
  'IntentRequest',
  'SessionEndedRequest',
  'AMAZON.StopIntent',
  'ParleyCatchAllIntent',
  'ParleyDateIntent',
  'ParleyNumberIntent',
  '2026-13-45',
  'https://api.evil.example',
  { value: 'x' },
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

/** Replaces or deletes values at random paths of a valid request, keeping its skill id and timestamp. */
function mutate(rand: () => number, value: unknown, depth = 0): unknown {
  if (value === null || typeof value !== 'object') return rand() < 0.3 ? pick(rand, NASTY) : value;
  if (Array.isArray(value)) return value.map((item) => mutate(rand, item, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [key, inner] of Object.entries(value)) {
    const roll = rand();
    if (roll < 0.08) continue;
    out[key] = roll < 0.2 ? pick(rand, NASTY) : mutate(rand, inner, depth + 1);
  }
  if (rand() < 0.1) out[randomText(rand, 10)] = pick(rand, NASTY);
  return out;
}

/** One malformed request: random bytes, broken JSON, or a valid request mutated (but still for our skill). */
function malformedBody(rand: () => number): string {
  const kind = Math.floor(rand() * 4);
  if (kind === 0) return randomText(rand, 400);
  if (kind === 1) return JSON.stringify(utterance('hi')).slice(0, Math.floor(rand() * 300));
  const base = pick(rand, [launch(), utterance(randomText(rand, 60))]) as Record<string, unknown>;
  const mutated = mutate(rand, base) as Record<string, unknown>;
  // Keep what verification checks, so most bodies reach the parser and the turn.
  const request = (typeof mutated.request === 'object' && mutated.request) || {};
  return JSON.stringify({
    ...mutated,
    context: {
      ...(mutated.context as object),
      System: {
        application: { applicationId: SKILL_ID },
        user: { userId: 'amzn1.ask.account.FUZZ' },
        ...((mutated.context as { System?: object } | undefined)?.System ?? {}),
      },
    },
    request: { ...request, timestamp: new Date().toISOString() },
  });
}

describe('Alexa webhook fuzz', () => {
  let h: AlexaHarness;
  beforeAll(async () => {
    h = await startAlexaHarness();
  });
  afterAll(async () => {
    await h.close();
  });

  it(`answers ${RUNS} malformed requests with 2xx or 4xx only, and keeps working`, async () => {
    const seed = Date.now() % 1_000_000;
    const rand = random(seed);
    const statuses = new Map<number, number>();
    let next = 0;
    const worker = async () => {
      while (next < RUNS) {
        next += 1;
        const body = malformedBody(rand);
        // Most requests are signed correctly, so the fuzz gets past verification.
        const roll = rand();
        const headers =
          roll < 0.75
            ? h.ca.signedHeaders(body)
            : roll < 0.9
              ? {
                  SignatureCertChainUrl: randomText(rand, 60).replace(/[^\x20-\x7e]/g, 'A'),
                  'Signature-256': 'AAAA',
                }
              : {};
        const response = await h.post(body, headers);
        await response.arrayBuffer();
        statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
        if (response.status >= 500 || response.status < 200)
          throw new Error(`seed ${seed}: status ${response.status} for ${body}`);
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
    expect([...statuses.values()].reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(RUNS);
    expect(statuses.get(400)).toBeGreaterThan(0);
    expect(statuses.get(200)).toBeGreaterThan(0);
    const after = await h.post(utterance('still there?'));
    expect(after.status).toBe(200);
    expect(JSON.stringify(await after.json())).toContain('You said: still there?');
  }, 180_000);
});
