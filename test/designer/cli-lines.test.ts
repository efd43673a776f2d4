import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { version } from '../../package.json';

const ROOT = resolve(__dirname, '..', '..');

function parley(...args: string[]): Promise<{ out: string; err: string; code: number | null }> {
  return new Promise((done) => {
    const child = spawn(process.execPath, ['bin/parley.js', ...args], { cwd: ROOT });
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    child.on('close', (code) => done({ out, err, code }));
  });
}

describe('the parley command line', () => {
  it('prints its version, and one clear line for an unknown bot, flag or file', async () => {
    const [versionRun, unknownBot, unknownFlag, missingModel] = await Promise.all([
      parley('--version'),
      parley('nlu', 'parse', 'hello', '--bot', 'nope'),
      parley('test', '--bot', 'acme', '--coverag'),
      parley('nlu', 'parse', 'hello', '--model', '/no/such/model.json'),
    ]);
    expect(versionRun).toEqual({ out: `${version}\n`, err: '', code: 0 });
    expect(unknownBot.code).toBe(1);
    expect(unknownBot.err).toMatch(/^no bot "nope": no such folder \(looked in [^\n]+\)\n$/);
    expect(unknownFlag.code).toBe(1);
    expect(unknownFlag.err).toMatch(/^error: unknown option '--coverag'\n/);
    expect(missingModel).toEqual({ out: '', err: 'no such file or folder: /no/such/model.json\n', code: 1 });
  });
});
