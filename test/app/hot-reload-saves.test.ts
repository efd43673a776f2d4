// Every way an editor saves a file reaches the bot: the real file system, a temporary bot folder.
import {
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { watchBotFiles, type HotReload } from '../../app/hot-reload';
import type { BotParts } from '../../app/runtime';
import type { Logger } from '../../core/ports';
import { silentLogger } from '../../stores/silent-logger';

/** Every `flows/**` file's text, as the last rebuild read it. */
function readFlows(directory: string): string[] {
  const texts: string[] = [];
  const walk = (folder: string): void => {
    for (const entry of readdirSync(folder, { withFileTypes: true })) {
      const path = join(folder, entry.name);
      if (entry.isDirectory()) walk(path);
      else texts.push(readFileSync(path, 'utf8'));
    }
  };
  try {
    walk(join(directory, 'flows'));
  } catch {
    // A folder deleted mid-save: this rebuild sees no flows; the next one will.
  }
  return texts.sort();
}

describe('hot reload follows every way editors save', () => {
  let directory: string;
  let watcher: HotReload;
  let seen: string[] = [];
  let builds = 0;
  const warnings: string[] = [];
  const logger: Logger = { ...silentLogger, warn: (_f, m) => warnings.push(m ?? ''), child: () => logger };
  const path = (...parts: string[]): string => join(directory, ...parts);

  /** Resolves once a rebuild has read `text`; fails the test after a few seconds. */
  const rebuiltWith = async (text: string): Promise<void> => {
    const deadline = Date.now() + 8000;
    while (!seen.some((file) => file.includes(text))) {
      if (Date.now() > deadline) throw new Error(`no rebuild saw "${text}" (saw ${JSON.stringify(seen)})`);
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  };

  beforeEach(() => {
    directory = mkdtempSync(join(tmpdir(), 'parley-saves-'));
    mkdirSync(path('flows'));
    mkdirSync(path('nlu'));
    writeFileSync(path('flows', 'hours.flow.yaml'), 'version 0\n');
    seen = [];
    builds = 0;
    watcher = watchBotFiles({
      bot: { name: 'saves', directory, createImplementations: () => ({}) },
      build: () => {
        builds += 1;
        seen = readFlows(directory);
        return Promise.resolve({} as BotParts);
      },
      apply: () => undefined,
      logger,
      debounceMs: 40,
    });
  });

  afterEach(() => {
    watcher.close();
    rmSync(directory, { recursive: true, force: true });
  });

  /** The edits go on after the first one: a watcher that stopped would miss the second. */
  const saveTwice = async (save: (text: string) => void): Promise<void> => {
    save('version 1\n');
    await rebuiltWith('version 1');
    save('version 2\n');
    await rebuiltWith('version 2');
  };

  it('follows a plain write in place', async () => {
    await saveTwice((text) => writeFileSync(path('flows', 'hours.flow.yaml'), text));
  });

  it('follows rename over the file (vim, sed -i, atomic replace), again and again', async () => {
    let n = 0;
    await saveTwice((text) => {
      const temporary = path('flows', `.hours.flow.yaml.tmp${++n}`);
      writeFileSync(temporary, text);
      renameSync(temporary, path('flows', 'hours.flow.yaml'));
    });
  });

  it('follows a JetBrains safe write (backup renamed aside, new file written, backup deleted)', async () => {
    await saveTwice((text) => {
      const file = path('flows', 'hours.flow.yaml');
      renameSync(file, `${file}~`);
      writeFileSync(file, text);
      rmSync(`${file}~`);
    });
  });

  it('follows delete and recreate', async () => {
    await saveTwice((text) => {
      rmSync(path('flows', 'hours.flow.yaml'));
      writeFileSync(path('flows', 'hours.flow.yaml'), text);
    });
  });

  it('follows a new file', async () => {
    writeFileSync(path('flows', 'returns.flow.yaml'), 'returns 1\n');
    await rebuiltWith('returns 1');
    writeFileSync(path('flows', 'returns.flow.yaml'), 'returns 2\n');
    await rebuiltWith('returns 2');
  });

  it('follows a new folder and the files in it', async () => {
    mkdirSync(path('flows', 'billing'));
    writeFileSync(path('flows', 'billing', 'bill.flow.yaml'), 'bill 1\n');
    await rebuiltWith('bill 1');
    writeFileSync(path('flows', 'billing', 'bill.flow.yaml'), 'bill 2\n');
    await rebuiltWith('bill 2');
  });

  it('follows the flows folder deleted and made again (git checkout of a branch)', async () => {
    rmSync(path('flows'), { recursive: true });
    mkdirSync(path('flows'));
    writeFileSync(path('flows', 'hours.flow.yaml'), 'restored 1\n');
    await rebuiltWith('restored 1');
    writeFileSync(path('flows', 'hours.flow.yaml'), 'restored 2\n');
    await rebuiltWith('restored 2');
  });

  it('rebuilds once for a burst of saves, and not for files it does not read', async () => {
    writeFileSync(path('notes.txt'), 'not a bot file');
    mkdirSync(path('node_modules'));
    writeFileSync(path('node_modules', 'x.yaml'), 'ignored');
    for (let i = 0; i < 5; i++) writeFileSync(path('flows', 'hours.flow.yaml'), `burst ${i}\n`);
    await rebuiltWith('burst 4');
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(builds).toBe(1);
    expect(warnings).toEqual([]);
  });
});
