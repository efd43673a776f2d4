import { join } from 'node:path';
import { createRuntime } from '../../app/runtime';
import type { JsonValue } from '../../core/json';
import type { Message } from '../../core/message';
import type { NluParser } from '../../core/nlu';
import type { Stores } from '../../core/ports';
import { loadDialogEngine } from '../../dialogs';
import { createMemoryStores } from '../../stores/memory';
import { createRedisStores } from '../../stores/redis';
import { readAllKeys } from '../../stores/redis/inspect';
import { silentLogger } from '../../stores/silent-logger';
import { startRedisCluster, startRedisServer } from '../support/redis-server';

const IBAN = 'ES9121000418450200051332';
const IBAN_WRITTEN = 'ES91 2100 0418 4502 0005 1332';
const MEMBER = '77123456';
const RETENTION = 3_600_000;

/** Understands the refund request, an IBAN written with spaces, and a member number. */
const nlu: NluParser = {
  async parse(text) {
    const iban = /ES\d{2}(?: ?\d{4}){5}/.exec(text);
    const member = /\b\d{8}\b/.exec(text);
    const entities = [
      ...(iban
        ? [{ entity: 'iban', value: iban[0].replace(/ /g, ''), text: iban[0], start: iban.index, end: 0 }]
        : []),
      ...(member && !iban
        ? [{ entity: 'member_number', value: member[0], text: member[0], start: member.index, end: 0 }]
        : []),
    ];
    const name = /refund/.test(text) ? 'refund' : 'inform';
    const intent = { name, confidence: 0.95 };
    return { text, intent, intent_ranking: [intent], entities, locale: 'en' };
  },
};

type Backend = { stores: Stores; redisUrls: string[]; stop: () => Promise<void> };

const backends: Array<[string, () => Promise<Backend>]> = [
  [
    'memory',
    async () => ({
      stores: createMemoryStores({ retentionMs: RETENTION }),
      redisUrls: [],
      stop: async () => {},
    }),
  ],
  [
    'redis',
    async () => {
      const server = await startRedisServer();
      const stores = await createRedisStores({ url: server.url, retentionMs: RETENTION, keyPrefix: 'mask' });
      return { stores, redisUrls: [server.url], stop: () => server.stop() };
    },
  ],
  [
    'redis cluster',
    async () => {
      const cluster = await startRedisCluster();
      const stores = await createRedisStores({
        cluster: cluster.nodes,
        retentionMs: RETENTION,
        keyPrefix: 'mask',
      });
      return {
        stores,
        redisUrls: cluster.nodes.map((n) => `redis://${n.host}:${n.port}`),
        stop: () => cluster.stop(),
      };
    },
  ],
];

describe.each(backends)('a masked slot (%s)', (_name, open) => {
  let backend: Backend;
  beforeAll(async () => {
    backend = await open();
  }, 60_000);
  afterAll(async () => {
    await backend.stores.close();
    await backend.stop();
  });

  it('is used by the flow in clear, and kept masked in the state, transcript, handoff package and every key', async () => {
    const { stores } = backend;
    const seenByLookup: JsonValue[] = [];
    const dialog = loadDialogEngine({
      flowsDir: join(__dirname, '../fixtures/masked-flows'),
      implementations: {
        lookups: {
          payRefund: ({ slots }) => {
            seenByLookup.push(slots['iban'] ?? null, slots['member_number'] ?? null);
            return { reference: 'RF-7' };
          },
        },
      },
      options: { intents: ['refund', 'inform'] },
    });
    let sequence = 0;
    const runtime = createRuntime({
      stores,
      nlu,
      dialog,
      redact: (text) => ({ text, redactions: [] }),
      logger: silentLogger,
      clock: { now: () => 1_700_000_000_000 + sequence * 1000 },
    });
    const message = (text: string): Message => ({
      channel: 'webchat',
      channelUserId: 'masked-customer',
      conversationId: 'conv-masked',
      messageId: `m-${(sequence += 1)}`,
      kind: 'text',
      text,
      timestamp: 1_700_000_000_000 + sequence * 1000,
    });

    await runtime.handle(message('I want a refund'));
    const asked = await runtime.handle(message(`member ${MEMBER}`));
    expect(asked.map((r) => r.text)).toEqual(['Which IBAN should the refund go to?']);
    const last = await runtime.handle(message(`it is ${IBAN_WRITTEN} please`));

    // The look-up in the turn the IBAN was given saw it in clear; the member number, given a turn
    // earlier, was already stored (and restored) masked. What is said back shows both masked.
    expect(seenByLookup).toEqual([IBAN, '••••••56']);
    expect(last[0]?.text).toBe('Refund RF-7 goes to ••••••••••••••••••••1332 for member ••••••56.');

    const state = await stores.conversations.get('conv-masked');
    const transcript = await stores.transcripts.read('conv-masked');
    const [item] = await stores.cases.list();
    expect(item).toBeDefined();
    expect(item?.package.summary.slots).toEqual({
      iban: '••••••••••••••••••••1332',
      member_number: '••••••56',
    });
    expect(transcript.filter((e) => e.speaker === 'customer').map((e) => e.text)).toEqual([
      'I want a refund',
      'member ••••••56',
      'it is •••• •••• •••• •••• •••• 1332 please',
    ]);
    const kept = JSON.stringify([state, transcript, item]);
    for (const secret of [IBAN, IBAN_WRITTEN, MEMBER]) expect(kept).not.toContain(secret);
    // Nothing in Redis (every node of a cluster), key or value, holds either value in clear.
    if (backend.redisUrls.length === 0) return;
    const keys = (await Promise.all(backend.redisUrls.map((url) => readAllKeys(url)))).flat();
    const everything = keys.map((k) => `${k.key}\n${k.values.join('\n')}`).join('\n');
    expect(everything).toContain('••••••••••••••••••••1332');
    for (const secret of [IBAN, IBAN_WRITTEN, MEMBER]) expect(everything).not.toContain(secret);
  }, 60_000);
});
