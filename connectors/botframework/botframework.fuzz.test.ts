import { activity, post, startBot, type BotUnderTest } from '../../test/support/botframework-harness';
import { startLocalChannel, type LocalChannel } from '../../test/support/botframework';
import { seededRandom as random } from '../../core/random';

/** `PARLEY_FUZZ_RUNS=10000 npx jest connectors/botframework/botframework.fuzz` for the full run. */
const RUNS = Number(process.env.PARLEY_FUZZ_RUNS ?? 300);

const ODD_VALUES: unknown[] = [
  null,
  true,
  0,
  -1,
  1e308,
  '',
  ' ',
  '\u0000',
  'x'.repeat(20_000),
  '🙂'.repeat(500),
  [],
  {},
  [null],
  { id: null },
  { id: '' },
  'javascript:alert(1)',
  'http://',
  'http://localhost:1@evil.example/',
  'file:///etc/passwd',
  { __proto__: { polluted: true } },
  { constructor: { prototype: {} } },
];
const FIELDS = [
  'type',
  'id',
  'channelId',
  'serviceUrl',
  'conversation',
  'from',
  'recipient',
  'text',
  'membersAdded',
  'deliveryMode',
  'locale',
  'value',
  'attachments',
  'entities',
  'channelData',
];
const TYPES = [
  'message',
  'conversationUpdate',
  'invoke',
  'event',
  'typing',
  'endOfConversation',
  'messageReaction',
  '',
];

/** A malformed or borderline activity: a valid one with fields removed, retyped or replaced by odd values. */
function malformed(next: () => number, channelUrl: string): string {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)];
  const kind = next();
  if (kind < 0.1) return pick(['', '{', '[]', 'null', '"text"', '{"type":', '\u0000\u0001', '{"a":1}}']);
  if (kind < 0.2) return JSON.stringify(pick(ODD_VALUES));
  const body: Record<string, unknown> = activity(channelUrl, {
    type: pick(TYPES),
    id: `f-${Math.floor(next() * 1e9)}`,
  });
  const mutations = 1 + Math.floor(next() * 4);
  for (let i = 0; i < mutations; i += 1) {
    const field = pick(FIELDS);
    const roll = next();
    if (roll < 0.3) delete body[field];
    else if (roll < 0.7) body[field] = pick(ODD_VALUES);
    else if (roll < 0.85) body[field] = { id: pick(ODD_VALUES), name: pick(ODD_VALUES) };
    else body[field] = [pick(ODD_VALUES), { id: pick(ODD_VALUES) }];
  }
  return JSON.stringify(body);
}

describe(`POST /api/messages under ${RUNS} malformed payloads`, () => {
  let channel: LocalChannel;
  let bot: BotUnderTest;
  beforeAll(async () => {
    channel = await startLocalChannel();
    bot = await startBot({ typingAfterMs: 60_000 });
  });
  afterAll(async () => {
    await bot.close();
    await channel.close();
  });

  it('answers every one with 2xx or 4xx, never a 5xx or a dropped connection', async () => {
    const seed = Date.now();
    const next = random(seed);
    const bodies = Array.from({ length: RUNS }, () => malformed(next, channel.url));
    const statuses = new Map<number, number>();
    const bad: { status: number; body: string }[] = [];
    const workers = Array.from({ length: 8 }, async (_, worker) => {
      for (let i = worker; i < bodies.length; i += 8) {
        const { status } = await post(bot.url, bodies[i]);
        statuses.set(status, (statuses.get(status) ?? 0) + 1);
        if (status >= 500 || status < 200 || (status >= 300 && status < 400))
          bad.push({ status, body: bodies[i].slice(0, 300) });
      }
    });
    await Promise.all(workers);
    expect({ seed, bad: bad.slice(0, 5) }).toEqual({ seed, bad: [] });
    // The generator must reach the turn as well as the refusals, or the fuzzing proves little.
    expect(statuses.get(200) ?? 0).toBeGreaterThan(0);
    expect(statuses.get(400) ?? 0).toBeGreaterThan(RUNS / 4);
  }, 600_000);
});
