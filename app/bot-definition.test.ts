import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { botDirectory, BotNotFoundError, loadBotDefinition } from './bot-definition';
import { parseStartArguments } from './start-arguments';
import { describeCliError } from '../cli/errors';

const acme = resolve(__dirname, '..', 'bots', 'acme');

describe('--bot: a name under bots/ or a path', () => {
  it('finds a bot by name, by relative path and by absolute path', () => {
    expect(botDirectory('acme')).toBe(acme);
    expect(botDirectory('bots/acme')).toBe(acme);
    expect(botDirectory('./bots/acme')).toBe(acme);
    expect(botDirectory(acme)).toBe(acme);
    expect(loadBotDefinition('bots/acme').name).toBe('acme');
  });

  it('says in one line where it looked when there is no such bot', () => {
    expect(() => botDirectory('nope')).toThrow(BotNotFoundError);
    expect(() => botDirectory('nope')).toThrow(
      /^no bot "nope": no such folder \(looked in .*nope and .*bots\/nope\)$/,
    );
    expect(() => botDirectory('./missing/dir')).toThrow(/^no bot "\.\/missing\/dir": no such folder/);
  });

  it('refuses a folder without an index.ts, naming the fix', () => {
    const empty = mkdtempSync(join(tmpdir(), 'parley-bot-'));
    try {
      expect(() => loadBotDefinition(empty)).toThrow(/has no index\.ts \(create one with `parley new`\)/);
    } finally {
      rmSync(empty, { recursive: true });
    }
  });
});

describe('npm start arguments', () => {
  it('takes --bot and nothing else', () => {
    expect(parseStartArguments([])).toEqual({});
    expect(parseStartArguments(['--bot', 'bots/acme'])).toEqual({ bot: 'bots/acme' });
    expect(() => parseStartArguments(['--bott', 'x'])).toThrow(
      "Unknown option '--bott' (npm start accepts --bot <name-or-dir>)",
    );
    expect(() => parseStartArguments(['acme'])).toThrow(/accepts --bot <name-or-dir>/);
  });
});

describe('CLI errors', () => {
  it('turns a missing file into one line naming the path', () => {
    const missing = Object.assign(new Error("ENOENT: no such file or directory, open '/x.json'"), {
      code: 'ENOENT',
      path: '/x.json',
    });
    expect(describeCliError(missing)).toBe('no such file or folder: /x.json');
    expect(describeCliError(new Error('plain'))).toBe('plain');
  });
});
