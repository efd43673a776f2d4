import { createRuntime } from '../../app/runtime';
import type { NluParser } from '../../core/nlu';
import type { Stores } from '../../core/ports';
import { createMemoryStores } from '../../stores/memory';
import { createRedisStores } from '../../stores/redis';
import { silentLogger } from '../../stores/silent-logger';
import { countingDialog, echoNlu } from '../../test/support/crash-kit';
import { startRedisServer, type RedisServer } from '../../test/support/redis-server';
import { createHttpServer, type ParleyHttpServer } from '../http/http-server';

const retentionMs = 60_000;
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

// Understanding takes a few milliseconds of CPU, as a real model's does: requests pile up meanwhile.
const busyNlu: NluParser = {
  async parse(text, options) {
    const until = Date.now() + 3;
    while (Date.now() < until);
    return echoNlu.parse(text, options);
  },
};

let redis: RedisServer;
let servers: ParleyHttpServer[] = [];
let opened: Stores[] = [];
/** When each message reached Parley (its runtime's `handle`), on any server of the test: text -> ms. */
let reached = new Map<string, number>();

beforeAll(async () => {
  redis = await startRedisServer();
});

afterEach(async () => {
  await Promise.all(servers.map((s) => s.close()));
  await Promise.all(opened.map((s) => s.close()));
  [servers, opened, reached] = [[], [], new Map()];
});

afterAll(async () => {
  await redis?.stop();
});

/** A Parley server (REST only) on `stores`; resolves its webhook URL. */
async function serve(stores: Stores): Promise<string> {
  opened.push(stores);
  const runtime = createRuntime({
    stores,
    nlu: busyNlu,
    dialog: countingDialog(),
    redact: (text) => ({ text, redactions: [] }),
    logger: silentLogger,
  });
  const handle: typeof runtime.handle = (message) => {
    reached.set(message.text ?? '', performance.now());
    return runtime.handle(message);
  };
  const server = createHttpServer({ runtime: { ...runtime, handle }, logger: silentLogger, webChat: false });
  servers.push(server);
  const { url } = await server.listen(0, '127.0.0.1');
  return `${url}/webhooks/rest/webhook`;
}

function post(url: string, sender: string, text: string, metadata: object = {}): Promise<Response> {
  const body = JSON.stringify({ sender, message: text, metadata: { message_id: text, ...metadata } });
  return fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
}

/**
 * Opens `count` keep-alive connections to each server first: a request that has to wait for a new
 * connection's handshake is overtaken by one sent later on an open one, before the server sees either.
 */
async function warmUp(urls: string[], count: number): Promise<void> {
  await Promise.all(
    urls.flatMap((url) => Array.from({ length: count }, (_, i) => post(url, 'warm-up', `w${i}`))),
  );
}

/** Sends `count` messages `gapMs` apart, the i-th to `urls[i % urls.length]`; resolves once all answered. */
async function sendSpaced(urls: string[], sender: string, count: number, gapMs: number): Promise<void> {
  await warmUp(urls, count);
  const sent: Promise<Response>[] = [];
  for (let i = 0; i < count; i += 1) {
    sent.push(post(urls[i % urls.length]!, sender, `${i}`));
    await sleep(gapMs);
  }
  const statuses = (await Promise.all(sent)).map((r) => r.status);
  expect(statuses.every((s) => s === 200)).toBe(true);
}

/** The texts of the conversation's messages, in the order their turns ran. */
async function processed(stores: Stores, conversationId: string, count: number): Promise<string[]> {
  const lines = await stores.transcripts.read(conversationId);
  const order = lines.filter((l) => l.speaker === 'customer').map((l) => l.text ?? '');
  expect(order).toHaveLength(count);
  return order;
}

/** Pairs processed in the opposite order to `rank`, counting only pairs that reached Parley `apartMs` apart. */
function inversions(order: string[], rank: (text: string) => number, apartMs = 0): number {
  let inverted = 0;
  for (let i = 0; i < order.length; i += 1)
    for (let j = i + 1; j < order.length; j += 1) {
      const [a, b] = [order[i]!, order[j]!];
      const gap = Math.abs((reached.get(a) ?? 0) - (reached.get(b) ?? 0));
      if (rank(a) > rank(b) && gap >= apartMs) inverted += 1;
    }
  return inverted;
}

/** The order messages reached Parley in: what a server can be held to (a client's network can reorder). */
const byArrival = (text: string) => reached.get(text) ?? Infinity;

describe('arrival order over HTTP', () => {
  it('processes 50 messages sent 2 ms apart in the order sent, on one process', async () => {
    const stores = createMemoryStores({ retentionMs });
    const url = await serve(stores);
    await sendSpaced([url], 'ann', 50, 2);
    const order = await processed(stores, 'rest:ann', 50);
    expect(inversions(order, byArrival)).toBe(0);
  });

  it('keeps the order of messages that reach two servers sharing one Redis 20 ms apart', async () => {
    const open = () => createRedisStores({ url: redis.url, retentionMs, keyPrefix: 'order2' });
    const [a, b] = [await open(), await open()];
    const urls = [await serve(a), await serve(b)];
    await sendSpaced(urls, 'bob', 24, 25);
    const order = await processed(a, 'rest:bob', 24);
    // Two connections to Redis can swap messages closer than a scheduling slice on a loaded machine (CI
    // runs tests in parallel on two cores): those need metadata.sequence.
    expect(inversions(order, byArrival, 20)).toBe(0);
  });
});

describe('metadata.sequence', () => {
  // Numbers start at 1. Sent 1 ms apart in this order: each pair arrives swapped.
  const sendOrder = [2, 1, 4, 3, 6, 5, 8, 7, 10, 9, 12, 11];

  async function sendNumbered(urls: string[], sender: string): Promise<void> {
    await warmUp(urls, sendOrder.length);
    const sent: Promise<Response>[] = [];
    for (const [i, n] of sendOrder.entries()) {
      sent.push(post(urls[i % urls.length]!, sender, `${n}`, { sequence: n }));
      await sleep(1);
    }
    expect((await Promise.all(sent)).map((r) => r.status)).toEqual(sendOrder.map(() => 200));
  }

  it('processes numbered messages in their order on one process', async () => {
    const stores = createMemoryStores({ retentionMs });
    await sendNumbered([await serve(stores)], 'cat');
    expect(inversions(await processed(stores, 'rest:cat', sendOrder.length), Number)).toBe(0);
  });

  it('processes numbered messages in their order across two servers sharing one Redis', async () => {
    const open = () => createRedisStores({ url: redis.url, retentionMs, keyPrefix: 'seq2' });
    const [a, b] = [await open(), await open()];
    await sendNumbered([await serve(a), await serve(b)], 'dan');
    expect(inversions(await processed(a, 'rest:dan', sendOrder.length), Number)).toBe(0);
  });

  it('refuses a sequence that is not a whole number', async () => {
    const url = await serve(createMemoryStores({ retentionMs }));
    const response = await post(url, 'eve', 'hi', { sequence: 1.5 });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ detail: expect.stringContaining('metadata.sequence') });
  });
});
