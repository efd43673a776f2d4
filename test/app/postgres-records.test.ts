import { Command } from 'commander';
import { Client } from 'pg';
import { createStores } from '../../app/bootstrap';
import { loadConfig, type ParleyConfig } from '../../app/config';
import { registerDbCommands } from '../../cli/commands/db';
import { silentLogger } from '../../stores/silent-logger';
import { createTestDatabase, type TestDatabase } from '../support/postgres';

let database: TestDatabase;

beforeEach(async () => {
  database = await createTestDatabase({ migrate: false });
});

afterEach(async () => {
  await database?.drop();
});

async function query<T extends object>(sql: string): Promise<T[]> {
  const client = new Client({ connectionString: database.url });
  await client.connect();
  try {
    return (await client.query<T>(sql)).rows;
  } finally {
    await client.end();
  }
}

describe('DATABASE_URL', () => {
  it('is validated as a PostgreSQL URL', () => {
    expect(loadConfig({ DATABASE_URL: database.url }).database).toEqual({ url: database.url });
    expect(loadConfig({}).database).toBeUndefined();
    expect(() => loadConfig({ DATABASE_URL: 'mysql://root@127.0.0.1/parley' })).toThrow(
      /DATABASE_URL: must be a postgres/,
    );
  });

  it('migrates at start-up and puts transcripts and cases in PostgreSQL', async () => {
    const config = loadConfig({ LOG_LEVEL: 'silent', DATABASE_URL: database.url });
    const first = await createStores(config, { logger: silentLogger });
    await first.close();
    // A second start (another process, a restart) finds the schema current and changes nothing.
    const stores = await createStores(config, { logger: silentLogger });
    try {
      expect(await query('SELECT name FROM parley_migrations ORDER BY id')).toEqual([
        { name: '1764892800000_durable-records' },
        { name: '1764979200000_transcript-turns' },
        { name: '1765152000000_analytics-reads' },
      ]);
      await stores.transcripts.append('conv-1', [
        { at: 1, speaker: 'customer', channel: 'rest', text: 'hi' },
      ]);
      await stores.conversations.put({ conversationId: 'conv-1', customerId: 'c1', updatedAt: 1 });
      expect(await query('SELECT conversation_id, line_count FROM parley_transcripts')).toEqual([
        { conversation_id: 'conv-1', line_count: 1 },
      ]);
      await stores.cases.create({
        id: 'case-1',
        conversationId: 'conv-1',
        customerId: 'c1',
        channels: ['rest'],
        queue: 'general',
        priority: 0,
        status: 'queued',
        createdAt: 1,
        updatedAt: 1,
        package: {
          version: 1,
          reason: 'customer_request',
          summary: { slots: {}, tried: [] },
          customer: { id: 'c1', identities: [] },
          transcript: [],
        },
      });
      expect(await query('SELECT id, status FROM parley_cases')).toEqual([
        { id: 'case-1', status: 'queued' },
      ]);
      expect(await stores.conversations.get('conv-1')).toMatchObject({ customerId: 'c1' });
      await expect(stores.ping()).resolves.toBeUndefined();
    } finally {
      await stores.close();
    }
  });

  it('fails start-up naming the database when PostgreSQL refuses', async () => {
    const config = loadConfig({ LOG_LEVEL: 'silent', DATABASE_URL: `${database.url}_missing` });
    await expect(createStores(config, { logger: silentLogger })).rejects.toThrow(
      new RegExp(
        `migrating postgres://postgres@127.0.0.1:5432/${database.name}_missing failed: .*does not exist`,
      ),
    );
  });
});

describe('parley db migrate', () => {
  async function run(config: ParleyConfig): Promise<{ out: string; err: string; exitCode: number }> {
    let out = '';
    let err = '';
    const program = new Command('parley').exitOverride();
    registerDbCommands(program, { out: (text) => (out += text), err: (text) => (err += text) }, () => config);
    const before = process.exitCode;
    process.exitCode = 0;
    try {
      await program.parseAsync(['node', 'parley', 'db', 'migrate']);
      return { out, err, exitCode: Number(process.exitCode ?? 0) };
    } finally {
      process.exitCode = before;
    }
  }

  it('applies pending migrations once, then reports the schema current', async () => {
    const config = loadConfig({ DATABASE_URL: database.url });
    expect(await run(config)).toEqual({
      out: 'Applied 3 migrations:\n  1764892800000_durable-records\n  1764979200000_transcript-turns\n  1765152000000_analytics-reads\n',
      err: '',
      exitCode: 0,
    });
    expect(await run(config)).toEqual({ out: 'The database schema is up to date.\n', err: '', exitCode: 0 });
    expect(await query("SELECT to_regclass('parley_cases')::text AS t")).toEqual([{ t: 'parley_cases' }]);
  });

  it('fails without DATABASE_URL', async () => {
    const result = await run(loadConfig({}));
    expect(result).toMatchObject({ out: '', exitCode: 1 });
    expect(result.err).toMatch(/DATABASE_URL is not set/);
  });
});
