import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import {
  createMessageCatalogue,
  type Catalogue,
  type Catalogues,
  type MessageCatalogue,
} from '../core/messages';

/** Where the framework's own catalogues live: `locales/en.yaml`, `locales/es.yaml`. */
export const FRAMEWORK_LOCALES = __dirname;

const LOCALE_FILE = /^([a-z]{2,3}(?:-[A-Za-z0-9]{2,8})*)\.ya?ml$/;

const KEY = /^[A-Za-z][\w-]*$/;

/**
 * A catalogue file is a tree of sections whose leaves are sentences: `{ handoff: { connected: "…" } }`
 * becomes `{ "handoff.connected": "…" }`. Throws naming the file and the first bad key.
 */
export function parseCatalogue(file: string, source: string): Catalogue {
  const out: Record<string, string> = {};
  const walk = (node: unknown, path: string[]): void => {
    const where = path.join('.') || '(root)';
    if (typeof node === 'string' && path.length > 0) {
      out[where] = node;
      return;
    }
    if (node === null || typeof node !== 'object' || Array.isArray(node))
      throw new Error(`${file}: ${where}: expected a sentence or a section of sentences`);
    for (const [key, value] of Object.entries(node)) {
      if (!KEY.test(key)) throw new Error(`${file}: ${[...path, key].join('.')}: not a valid key`);
      walk(value, [...path, key]);
    }
  };
  walk(parse(source) ?? {}, []);
  return out;
}

/** Every `<locale>.yaml` in a folder (none if the folder does not exist). */
export function readCatalogues(directory: string): Catalogues {
  if (!existsSync(directory)) return {};
  const catalogues: Record<string, Catalogue> = {};
  for (const entry of readdirSync(directory).sort()) {
    const match = LOCALE_FILE.exec(entry);
    if (!match) continue;
    const file = join(directory, entry);
    catalogues[match[1]] = parseCatalogue(file, readFileSync(file, 'utf8'));
  }
  return catalogues;
}

export interface LoadMessagesOptions {
  /** The bot's folder: its `locales/<locale>.yaml` override the framework's sentences key by key. */
  botDirectory?: string;
  /** Overrides from the bot's definition, applied last. */
  overrides?: Catalogues;
  /** The bot's default locale: the first fallback for a key missing in the customer's locale. */
  defaultLocale?: string;
}

/**
 * The framework's catalogues, then the bot's files, then its definition's overrides.
 *
 * @example
 * const messages = loadMessages({ botDirectory: 'bots/acme', defaultLocale: 'en' });
 * messages.text('es', 'handoff.connectedFrom', { agent: 'Sam', company: 'Acme' });
 */
export function loadMessages(options: LoadMessagesOptions = {}): MessageCatalogue {
  const layers = [readCatalogues(FRAMEWORK_LOCALES)];
  if (options.botDirectory) layers.push(readCatalogues(join(options.botDirectory, 'locales')));
  if (options.overrides) layers.push(options.overrides);
  return createMessageCatalogue(layers, options.defaultLocale ?? 'en');
}

let framework: MessageCatalogue | undefined;

/** The framework's sentences alone (read once): the default wherever no catalogue is injected. */
export function frameworkMessages(): MessageCatalogue {
  framework ??= loadMessages();
  return framework;
}
