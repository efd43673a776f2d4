import { watch, type FSWatcher } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from '../core/ports';
import type { BotDefinition } from './bot-definition';
import type { BotParts } from './runtime';

export interface HotReloadOptions {
  bot: BotDefinition;
  /** Rebuilds the bot's parts from its files; throws on an invalid file. */
  build: () => Promise<BotParts>;
  /** Receives the new parts once they built cleanly. */
  apply: (parts: BotParts) => void;
  logger: Logger;
  /** Editors write a file in several steps: wait for the burst to settle. */
  debounceMs?: number;
}

export interface HotReload {
  /** Rebuilds now (what a file change triggers); resolves true when the new parts were applied. */
  reload(): Promise<boolean>;
  close(): void;
}

/**
 * Watches a bot's `nlu/` and `flows/` folders and swaps in the retrained NLU and reloaded flows without a
 * restart. A file that does not validate leaves the running bot as it was and logs the file, line and
 * reason, so a designer's typo never takes the bot down.
 */
export function watchBotFiles({ bot, build, apply, logger, debounceMs = 300 }: HotReloadOptions): HotReload {
  const log = logger.child({ component: 'hot-reload', bot: bot.name });
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<boolean> | undefined;
  let again = false;

  const reload = async (): Promise<boolean> => {
    if (running) {
      again = true; // a change during a rebuild gets one more rebuild after it
      return running;
    }
    running = (async () => {
      const started = performance.now();
      try {
        apply(await build());
        log.info({ ms: Math.round(performance.now() - started) }, 'reloaded flows and training phrases');
        return true;
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        log.error({ err: error }, `bot files are invalid; still running the previous version:\n${reason}`);
        return false;
      } finally {
        running = undefined;
        if (again) {
          again = false;
          void reload();
        }
      }
    })();
    return running;
  };

  const schedule = (): void => {
    clearTimeout(timer);
    timer = setTimeout(() => void reload(), debounceMs);
  };
  const watchers: FSWatcher[] = ['nlu', 'flows'].map((folder) =>
    watch(join(bot.directory, folder), { recursive: true }, (_event, file) => {
      if (file && /\.ya?ml$/.test(String(file))) schedule();
    }),
  );
  return {
    reload,
    close() {
      clearTimeout(timer);
      for (const watcher of watchers) watcher.close();
    },
  };
}
