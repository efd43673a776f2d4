import { version } from '../../package.json';
import { parleyCli } from '../support/parley-cli';

const parley = (...args: string[]) => parleyCli(args);

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
