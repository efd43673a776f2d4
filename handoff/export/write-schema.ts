import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { handoffPackageSchema } from '../package.schema';

/** Where the published JSON Schema of the handoff package lives in the repository. */
export const SCHEMA_PATH = join(__dirname, '..', 'handoff-package.schema.json');

/** A stable name for the published document; it changes only with the package `version`. */
export const SCHEMA_ID = 'urn:parley:handoff-package:1';

/**
 * The handoff package's JSON Schema (draft 2020-12), generated from the zod schema the bot validates
 * with, so the published document and the bot's own check cannot disagree.
 */
export function handoffPackageJsonSchema(): Record<string, unknown> {
  const generated = z.toJSONSchema(handoffPackageSchema, { target: 'draft-2020-12' }) as Record<
    string,
    unknown
  >;
  const { $schema, ...rest } = generated;
  return { $schema, $id: SCHEMA_ID, ...rest };
}

/** The file's text: JSON formatted the way the repository's prettier set-up formats it. */
export async function renderSchemaFile(): Promise<string> {
  const prettier = await import('prettier');
  const options = (await prettier.resolveConfig(SCHEMA_PATH)) ?? {};
  return prettier.format(JSON.stringify(handoffPackageJsonSchema()), { ...options, filepath: SCHEMA_PATH });
}

async function main(): Promise<void> {
  await writeFile(SCHEMA_PATH, await renderSchemaFile());
  process.stdout.write(`wrote ${SCHEMA_PATH}\n`);
}

if (require.main === module) {
  main().catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
    process.exitCode = 1;
  });
}
