import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
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

/** Where a bot named `acme` (or given as a path such as `bots/acme`) lives. */
export function botDirectory(nameOrPath: string): string {
  return /[/\\]/.test(nameOrPath) || nameOrPath.startsWith('.')
    ? nameOrPath
    : resolve(__dirname, '..', 'bots', nameOrPath);
}

/** True when the folder is a full bot (with an `index.ts`), not just flows and phrases. */
export function hasBotDefinition(nameOrPath: string): boolean {
  const directory = botDirectory(nameOrPath);
  return ['index.ts', 'index.js'].some((file) => existsSync(join(directory, file)));
}

/** Loads `bots/<name>/index.ts` (or a folder path) and returns its `bot` export. */
export function loadBotDefinition(nameOrPath: string): BotDefinition {
  const directory = botDirectory(nameOrPath);
  if (!hasBotDefinition(nameOrPath)) throw new Error(`no bot at ${directory}: it has no index.ts`);
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- the bot is chosen at run time
  const loaded = require(resolve(directory, 'index')) as { bot?: BotDefinition };
  if (!loaded.bot) throw new Error(`${directory}/index.ts does not export a \`bot\` definition`);
  return loaded.bot;
}
