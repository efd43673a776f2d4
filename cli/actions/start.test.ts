import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { checkWorkers } from './start';

const BIN = join(__dirname, '..', '..', 'bin', 'parley.js');

function run(args: string[], env: Record<string, string | undefined>) {
  return new Promise<{ code: number | null; stderr: string }>((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], { env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.once('exit', (code) => resolve({ code, stderr }));
  });
}

describe('parley start --workers', () => {
  it('refuses more than one worker on the in-memory store, naming what to set', async () => {
    expect(() => checkWorkers(2, { kind: 'memory' })).toThrow(/REDIS_URL.*REDIS_CLUSTER_NODES/);
    expect(() => checkWorkers(1, { kind: 'memory' })).not.toThrow();
    expect(() => checkWorkers(4, { kind: 'redis', url: 'redis://x:1' })).not.toThrow();
    const env = { PATH: process.env.PATH, DOTENV_CONFIG_QUIET: 'true' };
    const { code, stderr } = await run(['start', '--workers', '2'], env);
    expect(code).toBe(1);
    expect(stderr).toMatch(/--workers 2 needs a shared store: set REDIS_URL/);
    expect((await run(['start', '--workers', 'zero'], env)).stderr).toMatch(/whole number/);
  }, 30_000);
});
