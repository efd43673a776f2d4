import { existsSync, statSync } from 'node:fs';
import { isAbsolute, join, relative, resolve } from 'node:path';
import type { Catalogues } from '../core/messages';
import type { CustomerDirectory } from '../core/ports';
import type { DeviceActions } from '../core/devices';
import type { DialogEngineOptions, DialogImplementations } from '../dialogs';
import type { HandoffTriggerSettings } from '../handoff/triggers';

/**
 * A bot is a folder (`nlu/` training phrases, `flows/` flow files) plus its TypeScript implementations.
 * Each bot's `index.ts` exports one of these as `bot`.
 */
export interface BotDefinition {
  name: string;
  /** The bot's folder, holding `nlu/` and `flows/`. */
  directory: string;
  /**
   * A fresh set of effects, guards and look-ups per runtime, so runtimes never share back-end state.
   * `services` are what the framework offers flows (connected devices); absent in tools and tests.
   */
  createImplementations(services?: BotServices): DialogImplementations;
  engineOptions?: DialogEngineOptions;
  /** The locale of plain-string flow texts and of a conversation until the customer shows another. */
  defaultLocale?: string;
  /**
   * Overrides of the framework's sentences, by locale and dotted key, applied after the bot's
   * `locales/<locale>.yaml`: `{ es: { 'handoff.connected': 'Te atiende {agent}.' } }`.
   */
  messages?: Catalogues;
  /** Shown to customers: "You're now chatting with Sam from <companyName>". */
  companyName?: string;
  /**
   * The bot's customer records for verified channel linking: the phone numbers and e-mail addresses a
   * one-time code may be sent to (`linking/`). Without it, only a code shown in the chat links a channel.
   */
  customers?: CustomerDirectory;
  /** Sentiment, intent rules and business hours for handoffs (sentiment is on by default). */
  handoff?: HandoffTriggerSettings;
  /**
   * Alexa account linking: the customer id an access token from the skill's account linking belongs to
   * (looked up against the bot's own identity provider), or undefined. See the README's "Alexa" section.
   */
  alexaAccounts?: (accessToken: string) => Promise<string | undefined>;
}

/** What the running framework offers a bot's implementations. */
export interface BotServices {
  /** Remote commands, owner notices and device look-ups (the device connector's). */
  devices?: DeviceActions;
}

/** A bot name or path that names no folder: the CLI and `npm start` print its message as one line. */
export class BotNotFoundError extends Error {
  constructor(
    readonly nameOrPath: string,
    looked: string[],
  ) {
    super(`no bot "${nameOrPath}": no such folder (looked in ${looked.join(' and ')})`);
    this.name = 'BotNotFoundError';
  }
}

const BOTS_DIR = resolve(__dirname, '..', 'bots');

/**
 * Where a bot lives: a folder path (absolute, or relative to the working directory) when one exists,
 * else a bot name under Parley's `bots/`. `acme`, `bots/acme`, `./my-bot` and `/srv/bots/shop` all work.
 * Throws `BotNotFoundError` when neither exists.
 */
export function botDirectory(nameOrPath: string): string {
  const asPath = resolve(nameOrPath);
  const candidates =
    /^[\w.-]+$/.test(nameOrPath) && !nameOrPath.startsWith('.')
      ? [asPath, join(BOTS_DIR, nameOrPath)]
      : [asPath];
  const found = candidates.find((candidate) => isDirectory(candidate));
  if (!found) throw new BotNotFoundError(nameOrPath, candidates);
  return found;
}

/** A bot folder as a person would type it: relative to the working directory when inside it. */
export function displayPath(directory: string): string {
  const shown = relative(process.cwd(), directory);
  return shown && !shown.startsWith('..') && !isAbsolute(shown) ? shown : directory;
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/** True when the folder is a full bot (with an `index.ts`), not just flows and phrases. */
export function hasBotDefinition(nameOrPath: string): boolean {
  const directory = botDirectory(nameOrPath);
  return ['index.ts', 'index.js'].some((file) => existsSync(join(directory, file)));
}

/** Loads `bots/<name>/index.ts` (or a folder path) and returns its `bot` export. */
export function loadBotDefinition(nameOrPath: string): BotDefinition {
  const directory = botDirectory(nameOrPath);
  if (!hasBotDefinition(directory))
    throw new Error(`no bot definition in ${directory}: it has no index.ts (create one with \`parley new\`)`);
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- the bot is chosen at run time
  const loaded = require(join(directory, 'index')) as { bot?: BotDefinition };
  if (!loaded.bot) throw new Error(`${directory}/index.ts does not export a \`bot\` definition`);
  return loaded.bot;
}
