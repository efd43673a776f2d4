import { createRuntime } from '../../app/runtime';
import type { Stores } from '../../core/ports';
import { createMemoryStores } from '../../stores/memory';
import { durableCommitter, openPostgresRecords, withDurableRecords } from '../../stores/postgres';
import { createRedisStores } from '../../stores/redis';
import { silentLogger } from '../../stores/silent-logger';
import { countingDialog, echoNlu, killedAtWrite, textMessage } from '../support/crash-kit';
import { createTestDatabase, type TestDatabase } from '../support/postgres';
import { startRedisServer, type RedisServer } from '../support/redis-server';

const retentionMs = 60_000;
let redis: RedisServer;
let database: TestDatabase;
let opened: Stores[] = [];

beforeAll(async () => {
  [redis, database] = await Promise.all([startRedisServer(), createTestDatabase()]);
});

afterEach(async () => {
  await Promise.all(opened.map((s) => s.close()));
  opened = [];
});

afterAll(async () => {
  await Promise.all([redis?.stop(), database?.drop()]);
});

let prefixes = 0;
const backends: Array<[string, () => Promise<Stores>]> = [
  ['memory', async () => createMemoryStores({ retentionMs })],
  ['Redis', () => createRedisStores({ url: redis.url, retentionMs, keyPrefix: `crash${(prefixes += 1)}` })],
];

const runtimeOn = (stores: Stores) =>
  createRuntime({
    stores,
    nlu: echoNlu,
    dialog: countingDialog(),
    redact: (text) => ({ text, redactions: [] }),
    logger: silentLogger,
  });

/** After the retry: each message's line once, and the dialog stepped once per message. */
async function expectProcessedOnce(stores: Stores, conversationId: string, texts: string[]): Promise<void> {
  const lines = await stores.transcripts.read(conversationId);
  expect(lines.filter((l) => l.speaker === 'customer').map((l) => l.text)).toEqual(texts);
  expect((await stores.conversations.get(conversationId))?.dialog).toBe(texts.length);
}

describe.each(backends)('a process killed between the writes of a turn (%s)', (_name, open) => {
  it.each([1, 2, 3, 4])(
    'leaves the whole turn or nothing (killed at write %i); the retry runs once',
    async (killAt) => {
      const stores = await open();
      opened.push(stores);
      const id = `conv-${killAt}`;
      await runtimeOn(stores).handle(textMessage(id, 'm1', 'hello'));
      // The doomed process: killed before its killAt-th write of the second message's turn.
      const doomed = killedAtWrite(stores, killAt);
      await runtimeOn(doomed.stores)
        .handle(textMessage(id, 'm2', 'track my order'))
        .catch(() => undefined);
      // The channel retries on a process that lives.
      const replies = await runtimeOn(stores).handle(textMessage(id, 'm2', 'track my order'));
      expect(replies).toEqual([{ from: 'bot', text: 'track my order (step 2)' }]);
      await expectProcessedOnce(stores, id, ['hello', 'track my order']);
    },
  );
});

describe('a process killed between PostgreSQL and Redis (DATABASE_URL)', () => {
  it('writes no line twice and steps the dialog once when the retry runs the turn again', async () => {
    const hot = await createRedisStores({ url: redis.url, retentionMs, keyPrefix: 'crash-pg' });
    const records = await openPostgresRecords({
      databaseUrl: database.url,
      retentionMs,
      migrate: false,
      sweepIntervalMs: 0,
    });
    const stores = withDurableRecords(hot, records);
    opened.push(stores);
    await runtimeOn(stores).handle(textMessage('pg-conv', 'm1', 'hello'));
    // Killed after the lines reached PostgreSQL, before Redis took the state and the dedupe record.
    const doomedHot = killedAtWrite(hot, 1).stores;
    const doomed = { ...stores, commits: durableCommitter(records, doomedHot.commits) };
    await expect(runtimeOn(doomed).handle(textMessage('pg-conv', 'm2', 'track my order'))).rejects.toThrow(
      'killed',
    );
    expect(await stores.transcripts.count('pg-conv')).toBe(4);
    await runtimeOn(stores).handle(textMessage('pg-conv', 'm2', 'track my order'));
    await expectProcessedOnce(stores, 'pg-conv', ['hello', 'track my order']);
    expect(await stores.transcripts.count('pg-conv')).toBe(4);
  });
});
