import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadConfig } from '../app/config';
import { DATA_CLASSES } from '../core/data-map';
import { dataMapFor, renderDataMap, retentionTable } from './data-map';

const DOC = join(__dirname, '..', 'docs', 'privacy-data-map.md');
const HEADER =
  '# Data map\n\nWhat Parley stores with Redis and PostgreSQL at the default retention, as printed by\n' +
  "`REDIS_URL=… DATABASE_URL=… npx parley privacy map` from the store modules' own declarations.\n" +
  'Regenerate with `PARLEY_WRITE_DATA_MAP=1 npx jest privacy/data-map.test.ts`.\n\n';

it('the data map in docs/ is what the code declares (Redis and PostgreSQL, default retention)', () => {
  const config = loadConfig({
    REDIS_URL: 'redis://127.0.0.1:6379',
    DATABASE_URL: 'postgres://localhost/parley',
  });
  const expected =
    HEADER + renderDataMap(dataMapFor({ hot: 'redis', postgres: true }), retentionTable(config));
  if (process.env['PARLEY_WRITE_DATA_MAP']) writeFileSync(DOC, expected);
  expect(readFileSync(DOC, 'utf8')).toBe(expected);
});

it('declares every data class the retention table knows, on every store family', () => {
  for (const hot of ['memory', 'redis'] as const) {
    const classes = new Set(dataMapFor({ hot, postgres: true }).map((e) => e.class));
    expect([...DATA_CLASSES].filter((c) => !classes.has(c))).toEqual([]);
  }
});
