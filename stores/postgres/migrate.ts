import { join } from 'node:path';
import type { Logger } from '../../core/ports';
import { silentLogger } from '../silent-logger';
import { withoutCredentials } from './pool';

/** Where Parley's schema changes live, in the order they apply (node-pg-migrate's timestamped SQL files). */
export const MIGRATIONS_DIR = join(__dirname, 'migrations');
const MIGRATIONS_TABLE = 'parley_migrations';

// node-pg-migrate (an ES module, ~0.5 s to load) loads only when migrations run, not with every process
// that merely imports the stores.
const migrationTool = (): typeof import('node-pg-migrate') =>
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- lazy on purpose, see above
  require('node-pg-migrate') as typeof import('node-pg-migrate');

export interface MigrateOptions {
  databaseUrl: string;
  logger?: Logger;
}

/**
 * Brings the database's schema up to date and returns the names of the migrations it applied (none when
 * already current). Safe to run from several processes at once: the first takes node-pg-migrate's
 * advisory lock and the others wait for it, then find nothing left to do.
 *
 * @example
 * await migrateDatabase({ databaseUrl: 'postgres://parley@db/parley' }); // ['1764892800000_durable-records']
 */
export async function migrateDatabase(options: MigrateOptions): Promise<string[]> {
  const logger = (options.logger ?? silentLogger).child({ component: 'migrations' });
  try {
    const applied = await migrationTool().runner({
      databaseUrl: options.databaseUrl,
      dir: MIGRATIONS_DIR,
      migrationsTable: MIGRATIONS_TABLE,
      direction: 'up',
      checkOrder: true,
      singleTransaction: true,
      advisoryLockMode: 'wait',
      logger: {
        debug: (message: string) => logger.debug({}, message),
        info: (message: string) => logger.info({}, message),
        warn: (message: string) => logger.warn({}, message),
        error: (message: string) => logger.error({}, message),
      },
    });
    return applied.map((migration) => migration.name);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(`migrating ${withoutCredentials(options.databaseUrl)} failed: ${reason}`, {
      cause: error,
    });
  }
}
