import { Writable } from 'node:stream';
import { readAllKeys } from '../../stores/redis/inspect';
import { loadBotDefinition, buildRuntime } from '../../app/bootstrap';
import { loadConfig } from '../../app/config';
import { createLogger } from '../../app/logger';
import type { ParleyRuntime } from '../../app/runtime';
import type { Message } from '../../core/message';
import { redactText } from '../../transcripts/redact';
import { startRedisCluster, startRedisServer } from '../support/redis-server';

const CARD = '4111 1111 1111 1111';
const CARD_DIGITS = '4111111111111111';
const CVV = '737';
const TYPED = [
  `my card number is ${CARD} and the cvv is ${CVV}, I want to talk to a person about a charge`,
  `sorry, it's ${CARD.replace(/ /g, '-')}`,
  `card ${CARD_DIGITS} security code ${CVV}`,
];

/** A stream that keeps every log line the logger writes. */
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

function leaks(text: string): string[] {
  const found: string[] = [];
  if (text.includes(CARD_DIGITS) || text.replace(/[ -]/g, '').includes(CARD_DIGITS))
    found.push('card number');
  if (new RegExp(`\\b${CVV}\\b`).test(text)) found.push('security code');
  return found;
}

async function converse(runtime: ParleyRuntime): Promise<string> {
  const replies: string[] = [];
  for (const [index, text] of TYPED.entries()) {
    const message: Message = {
      channel: 'rest',
      channelUserId: 'card-tester',
      conversationId: 'rest:card-tester',
      messageId: `m${index}`,
      kind: 'text',
      text,
      timestamp: Date.now(),
      raw: { sender: 'card-tester', message: text },
    };
    replies.push(...(await runtime.handle(message)).map((r) => r.text));
  }
  return replies.join('\n');
}

/** Where the runtime keeps its data: its environment, and every Redis node to scan afterwards. */
interface Backend {
  env: Record<string, string>;
  redisUrls: string[];
  stop: () => Promise<void>;
}

const backends: Array<[string, () => Promise<Backend>]> = [
  ['memory', async () => ({ env: {}, redisUrls: [], stop: async () => {} })],
  [
    'redis',
    async () => {
      const server = await startRedisServer();
      return { env: { REDIS_URL: server.url }, redisUrls: [server.url], stop: () => server.stop() };
    },
  ],
  [
    'redis cluster',
    async () => {
      const cluster = await startRedisCluster();
      return {
        env: { REDIS_CLUSTER_NODES: cluster.nodes.map((n) => `${n.host}:${n.port}`).join(',') },
        redisUrls: cluster.nodes.map((n) => `redis://${n.host}:${n.port}`),
        stop: () => cluster.stop(),
      };
    },
  ],
];

describe.each(backends)('card data typed by a customer (%s store)', (_name, open) => {
  let backend: Backend;

  beforeAll(async () => {
    backend = await open();
  }, 60_000);
  afterAll(async () => backend.stop());

  it('reaches no store, no log and no reply', async () => {
    const logs = captureLogs();
    const logger = createLogger({ level: 'trace', redact: redactText, destination: logs.stream });
    const config = loadConfig({ LOG_LEVEL: 'trace', ...backend.env });
    const runtime = await buildRuntime(loadBotDefinition('acme'), config, { logger });
    try {
      // Make sure something is logged at all, including the message text, so an empty log cannot pass.
      runtime.pipeline.use('receive', async (ctx, next) => {
        ctx.log.debug({ text: ctx.message.text, raw: TYPED[0] }, 'received');
        await next();
      });
      const replies = await converse(runtime);
      expect(leaks(replies)).toEqual([]);
      expect(logs.text()).toContain('received');
      expect(leaks(logs.text())).toEqual([]);

      const transcript = await runtime.stores.transcripts.read('rest:card-tester');
      expect(transcript.filter((e) => e.speaker === 'customer')).toHaveLength(TYPED.length);
      expect(JSON.stringify(transcript)).toContain('[card number removed]');
      const stored = JSON.stringify([
        transcript,
        await runtime.stores.conversations.get('rest:card-tester'),
        await runtime.stores.cases.list(),
      ]);
      expect(leaks(stored)).toEqual([]);

      // Every key and value on every Redis node (a cluster spreads them over its masters).
      if (backend.redisUrls.length > 0) {
        const keys = (await Promise.all(backend.redisUrls.map((url) => readAllKeys(url)))).flat();
        expect(keys.length).toBeGreaterThan(0);
        for (const { key, values } of keys) {
          expect({ key, leaks: leaks(values.join('\n')) }).toEqual({ key, leaks: [] });
        }
      }
    } finally {
      await runtime.close();
    }
  }, 60_000);
});
