import { Client } from 'pg';
import type { Stores } from '../../core/ports';
import { openPostgresRecords, withDurableRecords, type PostgresRecords } from '../../stores/postgres';
import type { FakeClock } from '../support/fake-clock';
import type { StoresFixture } from './stores.contract';

const TABLES = [
  'parley_transcripts',
  'parley_transcript_lines',
  'parley_transcript_turns',
  'parley_cases',
  'parley_consent_records',
  'parley_audit_events',
  'parley_analytics_events',
  'parley_unanswered_questions',
];

/** Empties every record table, so each contract test starts from nothing, as it does on memory. */
export async function emptyRecordTables(databaseUrl: string): Promise<void> {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query(`TRUNCATE ${TABLES.join(', ')}`);
  } finally {
    await client.end();
  }
}

/**
 * A contract fixture for the deployment `createStores` builds with DATABASE_URL set: hot state from
 * `openHot` (memory or Redis), transcripts and cases in an already migrated PostgreSQL database.
 */
export function postgresStoresFixture(
  databaseUrl: () => string,
  openHot: (clock?: FakeClock) => Promise<Stores>,
  retentionMs: number,
  makeClock?: () => FakeClock,
): () => Promise<StoresFixture> {
  return async () => {
    const clock = makeClock?.();
    const hot = await openHot(clock);
    let records: PostgresRecords;
    try {
      records = await openPostgresRecords({
        databaseUrl: databaseUrl(),
        retentionMs,
        migrate: false,
        sweepIntervalMs: 0,
        ...(clock ? { clock } : {}),
      });
    } catch (error) {
      await hot.close();
      throw error;
    }
    const stores = withDurableRecords(hot, records);
    return {
      stores,
      retentionMs,
      ...(clock ? { clock } : {}),
      async cleanup() {
        await stores.close();
        await emptyRecordTables(databaseUrl());
      },
    };
  };
}
