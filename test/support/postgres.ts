import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { migrateDatabase } from '../../stores/postgres';

/**
 * The server the tests use: the machine's PostgreSQL on loopback, trusting local connections
 * (scripts/ensure-test-deps.sh installs, starts and configures it where it is missing).
 */
const SERVER = 'postgres://postgres@127.0.0.1:5432';

/** A throwaway database owned by one test file, already migrated. */
export interface TestDatabase {
  url: string;
  name: string;
  /** Drops the database, closing whatever connections are still open to it. */
  drop(): Promise<void>;
}

async function withAdmin<T>(work: (admin: Client) => Promise<T>): Promise<T> {
  const admin = new Client({ connectionString: `${SERVER}/postgres`, connectionTimeoutMillis: 5000 });
  try {
    await admin.connect();
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(
      `PostgreSQL is not reachable at ${SERVER} as user postgres (${reason}). The PostgreSQL tests need it: ` +
        'run `bash scripts/ensure-test-deps.sh` (installs and starts it) or start it with ' +
        '`pg_ctlcluster <version> main start`.',
      { cause: error },
    );
  }
  try {
    return await work(admin);
  } finally {
    await admin.end();
  }
}

/** Creates `parley_test_<random>` and runs Parley's migrations on it. Fails loudly when PostgreSQL is down. */
export async function createTestDatabase(options: { migrate?: boolean } = {}): Promise<TestDatabase> {
  const name = `parley_test_${randomBytes(6).toString('hex')}`;
  await withAdmin((admin) => admin.query(`CREATE DATABASE ${name}`));
  const url = `${SERVER}/${name}`;
  const drop = () =>
    withAdmin((admin) => admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)).then(() => undefined);
  try {
    if (options.migrate ?? true) await migrateDatabase({ databaseUrl: url });
  } catch (error) {
    await drop();
    throw error;
  }
  return { url, name, drop };
}
