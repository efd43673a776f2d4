import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';

const MIN_CHARS = 32;

/**
 * The desk's token secret from a file, created once (random, mode 0600) when missing: tokens then stay valid
 * across restarts, and every process started from the same directory shares them. Two processes creating
 * it at once agree, since the second reads what the first wrote.
 */
export async function persistedTokenSecret(path: string): Promise<string> {
  try {
    return await readSecret(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  try {
    await writeFile(path, `${randomBytes(32).toString('base64url')}\n`, { flag: 'wx', mode: 0o600 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  return readSecret(path);
}

async function readSecret(path: string): Promise<string> {
  const secret = (await readFile(path, 'utf8')).trim();
  if (secret.length < MIN_CHARS) {
    throw new Error(`agent token secret file ${path} holds fewer than ${MIN_CHARS} characters`);
  }
  return secret;
}
