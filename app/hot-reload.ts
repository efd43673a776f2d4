import { basename } from 'node:path';
import { watchFolders } from './folder-watch';
import type { Logger } from '../core/ports';
import type { BotDefinition } from './bot-definition';
import type { BotParts } from './runtime';
import { reloadProblems } from './reload-problems';

/** The folders of a bot whose files become its parts (training phrases, flows, sentences, help pages). */
export const WATCHED_FOLDERS = ['nlu', 'flows', 'locales', 'knowledge'] as const;
const WATCHED_FILE = /\.(ya?ml|md)$/;

export interface HotReloadOptions {
  bot: BotDefinition;
  /** Rebuilds the bot's parts from its files; throws on an invalid file. */
  build: () => Promise<BotParts>;
  /** Receives the new parts once they built cleanly. */
  apply: (parts: BotParts) => void;
  logger: Logger;
  /** Editors write a file in several steps: wait for the burst to settle. */
  debounceMs?: number;
  /** Told after every rebuild, applied or not (the flow viewer pushes the news to browsers). */
  onReload?: (outcome: ReloadOutcome) => void;
}

export interface ReloadOutcome {
  applied: boolean;
  /** One line per problem (`file:line: reason`) when the files did not build. */
  problems: string[];
}

export interface HotReload {
  /** Rebuilds now (what a file change triggers); resolves true when the new parts were applied. */
  reload(): Promise<boolean>;
  close(): void;
}

/**
 * Watches a bot's `nlu/`, `flows/`, `locales/` and `knowledge/` folders and swaps in the retrained NLU and
 * reloaded flows without a restart. Folders are watched, not files (`folder-watch.ts`), so whatever way an
 * editor saves still counts: rename over the file (vim, JetBrains safe write, `sed -i`, `git checkout`),
 * delete and recreate, new files, new folders, even a folder deleted and made again. A file that does not
 * validate leaves the running bot as it was and logs one line per problem (file, line, reason), so a
 * designer's typo never takes the bot down.
 */
export function watchBotFiles({
  bot,
  build,
  apply,
  logger,
  debounceMs = 300,
  onReload,
}: HotReloadOptions): HotReload {
  const log = logger.child({ component: 'hot-reload', bot: bot.name });
  const reload = serialised(async () => {
    const started = performance.now();
    try {
      apply(await build());
      log.info({ ms: Math.round(performance.now() - started) }, 'reloaded the bot’s files');
      onReload?.({ applied: true, problems: [] });
      return true;
    } catch (error) {
      const problems = reloadProblems(error);
      for (const problem of problems) {
        const where = problem.line === undefined ? problem.file : `${problem.file}:${problem.line}`;
        log.error(
          { file: problem.file, line: problem.line },
          `not reloaded, still running the previous version: ${where ? `${where}: ` : ''}${problem.reason}`,
        );
      }
      onReload?.({ applied: false, problems: problems.map(formatProblem) });
      return false;
    }
  });

  let timer: NodeJS.Timeout | undefined;
  const folders = watchFolders({
    root: bot.directory,
    folders: WATCHED_FOLDERS,
    onChange: (path) => {
      if (!isBotPath(path)) return;
      clearTimeout(timer);
      // Folders may have come or gone in the burst: rescan before the rebuild, which reads every file.
      timer = setTimeout(() => {
        folders.rearm();
        void reload();
      }, debounceMs);
    },
    onError: (error) =>
      log.warn({ err: error }, 'a folder could not be watched; rescanning on the next change'),
  });
  return {
    reload,
    close() {
      clearTimeout(timer);
      folders.close();
    },
  };
}

/** Runs `work` one call at a time; a call during a run gets one more run after it, not one each. */
function serialised(work: () => Promise<boolean>): () => Promise<boolean> {
  let running: Promise<boolean> | undefined;
  let again = false;
  const run = (): Promise<boolean> => {
    if (running) {
      again = true;
      return running;
    }
    running = work().finally(() => {
      running = undefined;
      if (again) {
        again = false;
        void run();
      }
    });
    return running;
  };
  return run;
}

/** A training, flow, sentence or help file, or a folder (no extension): what a rebuild reads. */
function isBotPath(path: string): boolean {
  return WATCHED_FILE.test(path) || !/\.[^/\\]*$/.test(basename(path));
}

function formatProblem(problem: { file?: string; line?: number; reason: string }): string {
  const where = problem.line === undefined ? problem.file : `${problem.file}:${problem.line}`;
  return where ? `${where}: ${problem.reason}` : problem.reason;
}
