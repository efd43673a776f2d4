import { Pool, type PoolClient } from 'pg';
import type { Logger } from '../../core/ports';

export interface PostgresConnectionOptions {
  /** `postgres://user:password@host:5432/database`. */
  databaseUrl: string;
  /** Connections per process. */
  maxConnections?: number;
  /** A query that takes longer fails instead of hanging a turn (default 2000 ms). */
  queryTimeoutMs?: number;
  /** Opening a connection, or waiting for a free one, fails after this long (default 2000 ms). */
  connectTimeoutMs?: number;
}

// Class 08 (connection exception), 57P01–57P03 (shut down, crash, not accepting), 53300 (too many clients).
const OUTAGE_CODE = /^(08...|57P0[123]|53300)$/;
const OUTAGE_MESSAGE =
  /Connection terminated|timeout exceeded when trying to connect|Query read timeout|not queryable|ECONNREFUSED|ECONNRESET|ETIMEDOUT|EPIPE|EHOSTUNREACH|the database system is (starting|shutting) up|is not currently accepting connections/;

/** True for errors that mean "PostgreSQL is not reachable right now", as opposed to a bad query or a bug. */
export function isPostgresOutage(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const { code } = error as Error & { code?: unknown };
  if (typeof code === 'string' && OUTAGE_CODE.test(code)) return true;
  return OUTAGE_MESSAGE.test(error.message);
}

// Error messages end up in logs: never put a password from the URL there.
export function withoutCredentials(url: string): string {
  try {
    const parsed = new URL(url);
    parsed.password = '';
    return parsed.toString();
  } catch {
    return 'the configured DATABASE_URL';
  }
}

/** Opens a pool and checks one connection before resolving, so a bad URL fails at start-up, not mid-turn. */
export async function openPool(options: PostgresConnectionOptions, logger: Logger): Promise<Pool> {
  const { databaseUrl, maxConnections = 10, queryTimeoutMs = 2000, connectTimeoutMs = 2000 } = options;
  const pool = new Pool({
    connectionString: databaseUrl,
    max: maxConnections,
    connectionTimeoutMillis: connectTimeoutMs,
    query_timeout: queryTimeoutMs,
    application_name: 'parley',
  });
  // An idle connection the server drops emits here; unhandled, it would crash the process.
  pool.on('error', (error) => logger.warn({ err: error }, 'postgres connection error'));
  try {
    await pool.query('SELECT 1');
  } catch (error) {
    await pool.end().catch(() => undefined);
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(`could not connect to PostgreSQL at ${withoutCredentials(databaseUrl)}: ${reason}`, {
      cause: error,
    });
  }
  return pool;
}

/** Runs `work` in one transaction on one connection: committed when it resolves, rolled back when it throws. */
export async function inTransaction<T>(pool: Pool, work: (client: PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  let broken: Error | undefined;
  // The server can drop a checked-out connection between two queries (restart, pg_terminate_backend):
  // the pool listens only on idle ones, and an unheard 'error' event would crash the process. The next
  // query on it rejects, and the connection is not reused.
  const onError = (error: Error) => {
    broken = error;
  };
  client.on('error', onError);
  try {
    await client.query('BEGIN');
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    try {
      await client.query('ROLLBACK');
    } catch (rollbackError) {
      // A connection that cannot roll back is not returned to the pool for reuse.
      broken = rollbackError instanceof Error ? rollbackError : new Error(String(rollbackError));
    }
    throw error;
  } finally {
    client.off('error', onError);
    client.release(broken);
  }
}

// In unicode mode a surrogate pair is one code point, so only unpaired halves match.
const LONE_SURROGATE = /\p{Surrogate}/u;

/**
 * PostgreSQL text cannot hold NUL, and the driver would turn a lone UTF-16 surrogate into U+FFFD, making
 * two different ids one row. Refuse both rather than store under a different key.
 */
export function checkKey(kind: string, value: string): string {
  if (value.includes('\u0000') || LONE_SURROGATE.test(value)) {
    throw new RangeError(`${kind} must be well-formed text without NUL characters`);
  }
  return value;
}
