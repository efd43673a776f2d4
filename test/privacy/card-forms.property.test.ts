import { Writable } from 'node:stream';
import fc from 'fast-check';
import { readAllKeys } from '../../stores/redis/inspect';
import { createLogger } from '../../app/logger';
import { parseClientFrame } from '../../connectors/webchat/webchat.protocol';
import type { Logger } from '../../core/ports';
import { createRedisStores } from '../../stores/redis';
import { CARD_NOTICE } from '../../transcripts/card-notice';
import { foldDigits } from '../../transcripts/digits';
import { redactText } from '../../transcripts/redact';
import { cardForm, type CardForm } from '../support/card-forms';
import { AGENTS, startDeskKit, type DeskKit } from '../handoff/support/desk-kit';
import { startRedisCluster, startRedisServer } from '../support/redis-server';

/**
 * The whole stack, attacked with generated card numbers: in the text, the REST sender, `metadata.message_id`,
 * other metadata values and keys. None may reach a Redis key or value, a log line, a REST or `/model/parse`
 * answer, the desk API's case and transcript, or the handoff package (part of the case).
 */
const RUNS = 120;
// `ids` goes straight to the runtime, as a connector without edge checks would: the ids get hashed.
const PLACES = ['text', 'sender', 'message_id', 'metadata', 'metadata_key', 'ids'] as const;
type Place = (typeof PLACES)[number];

function captureLogs(): { stream: Writable; text: () => string } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      chunks.push(chunk.toString());
      done();
    },
  });
  return { stream, text: () => chunks.join('') };
}

function restBody(form: CardForm, place: Place, run: number) {
  const sender = place === 'sender' ? form.written : `customer-${run}`;
  const message = place === 'text' ? `my card is ${form.written} thanks` : 'my parcel never came';
  const metadata =
    place === 'message_id'
      ? { message_id: form.written }
      : place === 'metadata'
        ? { message_id: `m-${run}`, payment: { card: form.written, note: [form.written] } }
        : place === 'metadata_key'
          ? { message_id: `m-${run}`, [form.written]: true }
          : { message_id: `m-${run}` };
  return { sender, message, metadata };
}

/** Every key and value on these Redis nodes, as one string. */
async function dumpRedis(urls: readonly string[]): Promise<string> {
  const keys = (await Promise.all(urls.map((url) => readAllKeys(url)))).flat();
  const parts = keys.flatMap(({ key, values }) => [key, ...values]);
  expect(parts.join('\n')).not.toContain('unread type');
  return parts.join('\n');
}

/** The cards (ASCII digits) whose digits appear in `text` in any form. */
function leakedCards(text: string, cards: readonly string[]): string[] {
  const digits = foldDigits(text);
  return cards.filter((card) => digits.includes(card));
}

interface Backing {
  options: { url: string } | { cluster: Array<{ host: string; port: number }> };
  /** Every node, to scan. */
  urls: string[];
  stop(): Promise<void>;
}

const BACKINGS: Array<[string, number, () => Promise<Backing>]> = [
  [
    'Redis',
    RUNS,
    async () => {
      const redis = await startRedisServer();
      return { options: { url: redis.url }, urls: [redis.url], stop: () => redis.stop() };
    },
  ],
  [
    // The same code paths, with keys spread over three masters.
    'Redis Cluster',
    RUNS,
    async () => {
      const cluster = await startRedisCluster();
      return {
        options: { cluster: cluster.nodes },
        urls: cluster.nodes.map((n) => `redis://${n.host}:${n.port}`),
        stop: () => cluster.stop(),
      };
    },
  ],
];

describe.each(BACKINGS)('generated card numbers through the whole stack (%s)', (_name, runs, start) => {
  let backing: Backing;
  let kit: DeskKit;
  let logger: Logger;
  const logs = captureLogs();
  const cards: string[] = [];
  const answers: string[] = [];

  beforeAll(async () => {
    backing = await start();
    logger = createLogger({ level: 'trace', redact: redactText, destination: logs.stream });
    const stores = await createRedisStores({ ...backing.options, retentionMs: 3_600_000, logger });
    kit = await startDeskKit({ stores, logger, redact: redactText });
    // Log what each turn received, so the log has customer text in it to leak.
    kit.runtime.pipeline.use('receive', async (ctx, next) => {
      ctx.log.debug({ message: ctx.message }, 'received');
      await next();
    });
  });
  afterAll(async () => {
    await kit?.close();
    await backing?.stop();
  });

  const base = () => `http://127.0.0.1:${kit.address.port}`;
  async function post(path: string, body: unknown, token?: string) {
    const response = await fetch(`${base()}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify(body),
    });
    const text = await response.text();
    answers.push(text);
    return { status: response.status, text };
  }
  async function get(path: string, token: string) {
    const response = await fetch(`${base()}${path}`, { headers: { authorization: `Bearer ${token}` } });
    const text = await response.text();
    answers.push(text);
    expect(response.status).toBe(200);
    return text;
  }

  it(`keeps ${runs} generated cards, in every field, out of stores, keys, logs and answers`, async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(cardForm, fc.constantFrom(...PLACES), async (form, place) => {
        run += 1;
        cards.push(form.digits);
        const body = restBody(form, place, run);
        // Logged as a careless connector might: the whole raw body.
        logger.debug({ body }, 'webhook body');
        if (place === 'ids') {
          const replies = await kit.runtime.handle({
            channel: 'rest',
            channelUserId: form.written,
            conversationId: `rest:${form.written}`,
            messageId: form.written,
            kind: 'speech',
            text: `card ${form.written}`,
            speech: { transcript: `card ${form.written}`, confidence: 0.8 },
            timestamp: Date.now(),
            raw: body,
          });
          answers.push(JSON.stringify(replies));
          expect(leakedCards(JSON.stringify(replies), [form.digits])).toEqual([]);
          return;
        }
        const first = await post('/webhooks/rest/webhook', body);
        if (place === 'sender' || place === 'message_id') {
          // Ids are keys and echoed back: refused at the edge, never stored.
          expect(first.status).toBe(400);
          expect(first.text).toContain('must not contain card data');
        } else {
          expect(first.status).toBe(200);
          // Escalate: the case, its handoff package and the transcript now hold this conversation.
          expect(
            (await post('/webhooks/rest/webhook', { ...body, message: 'human', metadata: {} })).status,
          ).toBe(200);
        }
        const parsed = await post('/model/parse', { text: `card ${form.written}` });
        expect(parsed.status).toBe(200);
        expect(leakedCards(first.text + parsed.text, [form.digits])).toEqual([]);
      }),
      { numRuns: runs },
    );

    const token = JSON.parse(
      (await post('/api/agent/login', { username: AGENTS.sam.username, password: AGENTS.sam.password })).text,
    ) as { token: string };
    const list = JSON.parse(await get('/api/cases', token.token)) as { cases: { id: string }[] };
    expect(list.cases.length).toBeGreaterThanOrEqual(runs / 3);
    for (const { id } of list.cases) {
      const detail = await get(`/api/cases/${id}`, token.token);
      expect(detail).toContain('"package"');
    }
    expect(answers.join('\n')).toContain('[card number removed]');
    expect(leakedCards(answers.join('\n'), cards)).toEqual([]);

    const stored = await dumpRedis(backing.urls);
    expect(stored).toContain('[card number removed]');
    expect(leakedCards(stored, cards)).toEqual([]);

    expect(logs.text()).toContain('webhook body');
    const leakingLines = logs
      .text()
      .split('\n')
      .filter((line) => leakedCards(line, cards).length > 0);
    expect(leakingLines).toEqual([]);
  });

  it('tells the customer once per conversation that card details are never taken in chat', async () => {
    const send = async (message: string, id: string) =>
      JSON.parse(
        (await post('/webhooks/rest/webhook', { sender: 'notice', message, metadata: { message_id: id } }))
          .text,
      ) as {
        text: string;
      }[];
    const notice = (replies: { text: string }[]) => replies.filter((r) => r.text === CARD_NOTICE.text).length;
    expect(notice(await send('hello', 'n1'))).toBe(0);
    expect(notice(await send('card 4111.1111.1111.1111', 'n2'))).toBe(1);
    expect(notice(await send('cvv 123', 'n3'))).toBe(0);
  });
});

describe('the web chat refuses frame ids carrying a card number', () => {
  it('for generated cards written with id-safe separators', () => {
    fc.assert(
      fc.property(cardForm, (form) => {
        const id = form.written.replace(/[^A-Za-z0-9_-]/g, '');
        if (foldDigits(id) !== form.digits) return; // non-ASCII digits or other separators cannot be an id
        const result = parseClientFrame(JSON.stringify({ type: 'message', id, text: 'hi' }), 10_000);
        expect(result.ok).toBe(false);
      }),
      { numRuns: 500 },
    );
    expect(parseClientFrame(JSON.stringify({ type: 'message', id: 'c-1001', text: 'hi' }), 10_000).ok).toBe(
      true,
    );
  });
});
