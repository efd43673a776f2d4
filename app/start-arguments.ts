import { parseArgs } from 'node:util';

export interface StartArguments {
  /** `--bot <name-or-dir>`: wins over PARLEY_BOT. */
  bot?: string;
}

/**
 * The command line of `npm start -- --bot <name-or-dir>`. Throws one readable line for anything else,
 * so a typo never starts the wrong bot silently.
 */
export function parseStartArguments(argv: readonly string[]): StartArguments {
  try {
    const { values } = parseArgs({
      args: [...argv],
      options: { bot: { type: 'string' } },
      strict: true,
      allowPositionals: false,
    });
    if (values.bot !== undefined && values.bot.trim() === '') throw new Error('--bot needs a value');
    return values.bot === undefined ? {} : { bot: values.bot };
  } catch (error) {
    const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
    throw new Error(`${reason} (npm start accepts --bot <name-or-dir>)`, { cause: error });
  }
}
