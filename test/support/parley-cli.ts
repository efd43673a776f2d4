import { spawn } from 'node:child_process';
import { resolve } from 'node:path';

const ROOT = resolve(__dirname, '..', '..');

/** `node bin/parley.js <args>` from the repository, as `npx parley` runs it: its output and exit code. */
export function parleyCli(
  args: readonly string[],
  env: NodeJS.ProcessEnv = {},
): Promise<{ out: string; err: string; code: number | null }> {
  return new Promise((done) => {
    const child = spawn(process.execPath, ['bin/parley.js', ...args], {
      cwd: ROOT,
      env: { ...process.env, ...env },
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    child.on('close', (code) => done({ out, err, code }));
  });
}
