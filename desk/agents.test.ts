import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  createAgentDirectory,
  demoAccount,
  hashPassword,
  loadAccountsFile,
  parseDemoAgent,
  verifyPassword,
} from './agents';

const cheap = { N: 2 ** 10, r: 8, p: 1 };

describe('passwords', () => {
  it('hashes with a fresh salt each time and verifies only the right password', async () => {
    const first = await hashPassword('correct horse', cheap);
    const second = await hashPassword('correct horse', cheap);
    expect(first).toMatch(/^scrypt\$1024\$8\$1\$[\w-]+\$[\w-]+$/);
    expect(first).not.toBe(second);
    expect(await verifyPassword('correct horse', first)).toBe(true);
    expect(await verifyPassword('correct horse!', first)).toBe(false);
    expect(await verifyPassword('correct horse', 'plain-text-password')).toBe(false);
  });

  it('uses a slow cost by default', async () => {
    expect(await hashPassword('x')).toMatch(/^scrypt\$32768\$8\$1\$/);
  });

  it('signs in known agents only', async () => {
    const directory = await createAgentDirectory([
      { username: 'sam', name: 'Sam', passwordHash: await hashPassword('pw-sam', cheap) },
    ]);
    expect(await directory.authenticate('sam', 'pw-sam')).toEqual({ username: 'sam', name: 'Sam' });
    expect(await directory.authenticate('sam', 'pw-alex')).toBeUndefined();
    expect(await directory.authenticate('alex', 'pw-sam')).toBeUndefined();
  });
});

describe('accounts file and demo agent', () => {
  it('reads hashed accounts and rejects plain-text passwords', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'parley-agents-'));
    const good = join(dir, 'agents.json');
    const hash = await hashPassword('pw', cheap);
    writeFileSync(good, JSON.stringify([{ username: 'kim', name: 'Kim', passwordHash: hash }]));
    expect(await loadAccountsFile(good)).toEqual([{ username: 'kim', name: 'Kim', passwordHash: hash }]);
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, JSON.stringify([{ username: 'kim', name: 'Kim', passwordHash: 'pw' }]));
    await expect(loadAccountsFile(bad)).rejects.toThrow(/invalid agents file/);
  });

  it('parses user:password, with a printed default when unset', () => {
    expect(parseDemoAgent('sam:pa:ss')).toEqual({ username: 'sam', password: 'pa:ss' });
    expect(parseDemoAgent(undefined)).toEqual({ username: 'demo', password: 'parley-demo' });
    expect(() => parseDemoAgent('nopassword')).toThrow(/user:password/);
    expect(() => parseDemoAgent(':pw')).toThrow(/user:password/);
  });
});

describe('demo agent', () => {
  it('hashes the same on every process, so tokens (which carry a fingerprint of the hash) work on all', async () => {
    const demo = { username: 'demo', password: 'parley-demo' };
    const [one, two] = [await demoAccount(demo), await demoAccount(demo)];
    expect(one).toEqual({ username: 'demo', name: 'Demo', passwordHash: two.passwordHash });
    expect(await verifyPassword('parley-demo', one.passwordHash)).toBe(true);
    expect((await demoAccount({ ...demo, password: 'other' })).passwordHash).not.toBe(one.passwordHash);
  });
});
