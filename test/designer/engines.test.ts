import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import semver from 'semver';

const root = join(__dirname, '..', '..');
const readJson = (file: string): unknown => JSON.parse(readFileSync(join(root, file), 'utf8'));

interface LockEntry {
  engines?: { node?: string } | string[];
  optional?: boolean;
}

/** The engines every installed package declares, from the lock file (what a fresh install gets). */
function declaredEngines(): Array<{ name: string; node: string }> {
  const lock = readJson('package-lock.json') as { packages: Record<string, LockEntry> };
  return Object.entries(lock.packages).flatMap(([path, entry]) => {
    const node = !Array.isArray(entry.engines) ? entry.engines?.node : undefined;
    return path && node ? [{ name: path.replace(/^.*node_modules\//, ''), node }] : [];
  });
}

describe('the Node versions Parley declares', () => {
  const own = (readJson('package.json') as { engines?: { node?: string } }).engines?.node ?? '';

  it('names a valid range that includes the Node this runs on', () => {
    expect(semver.validRange(own)).not.toBeNull();
    expect(semver.satisfies(process.versions.node, own)).toBe(true);
  });

  it('are all supported by every package in the lock file', () => {
    const refusing = declaredEngines()
      .filter(({ node }) => !semver.subset(own, node))
      .map(({ name, node }) => `${name} wants ${node}`);
    expect(refusing).toEqual([]);
  });

  it('are what the README says', () => {
    const readme = readFileSync(join(root, 'README.md'), 'utf8');
    const said = /Requirements: Node\.js ([^]*?) The tests/.exec(readme)?.[1] ?? '';
    const minimum = semver.minVersion(own)?.version;
    expect(said).toContain(`${minimum}`);
    expect(said).toContain(own);
  });
});
