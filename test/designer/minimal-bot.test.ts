import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parleyCli } from '../support/parley-cli';

describe('parley new --template minimal, then parley test', () => {
  const parent = mkdtempSync(join(tmpdir(), 'parley-minimal-'));
  const dir = join(parent, 'front-desk');
  afterAll(() => rmSync(parent, { recursive: true, force: true }));

  it('writes a bot outside the repository whose own conversation tests cover every state and transition', async () => {
    const created = await parleyCli(['new', dir, '--template', 'minimal']);
    expect(created).toMatchObject({ code: 0, err: '' });
    expect(created.out).toContain(`Created bot "front-desk" in ${dir} (minimal template; en)`);
    expect(readFileSync(join(dir, 'index.ts'), 'utf8')).toContain("name: 'front-desk'");
    // English only by default: the Spanish phrases and tests stay behind.
    expect(existsSync(join(dir, 'nlu', 'es'))).toBe(false);
    expect(existsSync(join(dir, 'tests', 'es.conv.yaml'))).toBe(false);

    const tested = await parleyCli(['test', '--bot', dir, '--coverage', '--min-coverage', '100']);
    expect(tested).toMatchObject({ code: 0 });
    expect(tested.out).toContain('4 passed, 0 failed (4 conversations)');
    expect(tested.out).toMatch(/contact_details\s+1\/1\s+0\/0/);
    expect(tested.out).toMatch(/opening_hours\s+2\/2\s+1\/1/);
    expect(tested.out).toContain('states 100.0%, transitions 100.0% covered');
  }, 60_000);
});
