import { readdirSync, watch, type FSWatcher } from 'node:fs';
import { join } from 'node:path';

export interface FolderWatchOptions {
  /** The folder whose direct entries named in `folders` are watched, with everything inside them. */
  root: string;
  folders: readonly string[];
  /** Called for every change to an entry of a watched folder (file or folder), with its path. */
  onChange: (path: string) => void;
  /** Called when a folder could not be watched (it vanished between the scan and the watch). */
  onError?: (error: unknown) => void;
}

export interface FolderWatch {
  /**
   * Watches every folder afresh: folders that appeared are watched, those that went are dropped, and one
   * replaced by another of the same name is watched again. Call it after each burst of changes.
   */
  rearm(): void;
  close(): void;
}

/**
 * Watches folders, never files: a folder's watch sees its entries created, written, renamed over, deleted
 * and recreated, so it survives every way an editor saves (a watch on a file follows the old inode and
 * goes silent after a rename over it). A folder deleted and recreated at once (a `git checkout`) may even
 * get its old inode back, so nothing tells the old watch from a live one: `rearm` watches everything
 * afresh (Node's own `recursive` watch on Linux, and chokidar 4, miss that case).
 */
export function watchFolders({ root, folders, onChange, onError }: FolderWatchOptions): FolderWatch {
  const armed = new Map<string, FSWatcher>();

  const arm = (folder: string, accept: (name: string) => boolean): void => {
    try {
      const watcher = watch(folder, (_event, name) => {
        if (name && accept(String(name))) onChange(join(folder, String(name)));
      });
      // A watched folder deleted ends its watch with an error on some systems: the parent's event rearms.
      watcher.on('error', () => disarm(folder));
      armed.set(folder, watcher);
    } catch (error) {
      onError?.(error);
    }
  };
  const disarm = (folder: string): void => {
    armed.get(folder)?.close();
    armed.delete(folder);
  };

  const rearm = (): void => {
    for (const folder of [...armed.keys()]) disarm(folder);
    const present = [root];
    for (const folder of folders) collectFolders(join(root, folder), present);
    // At the root only the watched folders count; inside them, every entry does.
    for (const folder of present)
      arm(folder, folder === root ? (name) => folders.includes(name) : () => true);
  };

  rearm();
  return {
    rearm,
    close() {
      for (const folder of [...armed.keys()]) disarm(folder);
    },
  };
}

/** `folder` and every folder below it; nothing when it does not exist. */
function collectFolders(folder: string, into: string[]): void {
  let entries;
  try {
    entries = readdirSync(folder, { withFileTypes: true });
  } catch {
    return; // absent, not a folder, or deleted while scanning: the next rescan settles it
  }
  into.push(folder);
  for (const entry of entries) {
    if (entry.isDirectory()) collectFolders(join(folder, entry.name), into);
  }
}
