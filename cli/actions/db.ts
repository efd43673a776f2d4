import type { ParleyConfig } from '../../app/config';
import { migrateDatabase } from '../../stores/postgres/migrate';
import type { CliOutput } from '../commands/flows';

/** Applies pending migrations and says which; fails (exit code 1) without DATABASE_URL. */
export async function migrateCommand(config: ParleyConfig, io: CliOutput): Promise<void> {
  if (!config.database) {
    io.err('DATABASE_URL is not set: nothing to migrate (set it to a postgres:// URL)\n');
    process.exitCode = 1;
    return;
  }
  const applied = await migrateDatabase({ databaseUrl: config.database.url });
  io.out(
    applied.length === 0
      ? 'The database schema is up to date.\n'
      : `Applied ${applied.length} migration${applied.length === 1 ? '' : 's'}:\n${applied.map((name) => `  ${name}\n`).join('')}`,
  );
}
