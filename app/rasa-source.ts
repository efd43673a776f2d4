import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RasaApiOptions } from '../connectors/rest/rasa.api';
import type { Clock } from '../core/ports';
import type { ParleyRuntime } from './runtime';

/** A tracker reads at most this many of a conversation's latest transcript lines. */
const TRACKER_LINES = 5000;

/** Parley's own version, as `GET /version` reports it. */
export function parleyVersion(): string {
  const manifest = JSON.parse(readFileSync(join(__dirname, '..', 'package.json'), 'utf8')) as {
    version?: string;
  };
  return manifest.version ?? '0.0.0';
}

/**
 * What the REST connector's Rasa HTTP API reads: transcripts and state from the runtime's stores, slots from
 * the dialog engine's summary (already redacted), "paused" while a case is open. `reloaded()` is called
 * when hot reload swapped in new parts, for `/status`.
 */
export function rasaApiFor(
  runtime: Pick<ParleyRuntime, 'stores' | 'dialog'>,
  bot: string,
  clock: Clock,
): RasaApiOptions & { reloaded(): void } {
  let loadedAt = clock.now();
  return {
    version: parleyVersion(),
    status: () => ({ bot, loadedAt }),
    reloaded: () => {
      loadedAt = clock.now();
    },
    source: {
      async transcript(conversationId) {
        const count = await runtime.stores.transcripts.count(conversationId);
        const offset = Math.max(0, count - TRACKER_LINES);
        return runtime.stores.transcripts.read(conversationId, { offset, limit: TRACKER_LINES });
      },
      async facts(conversationId) {
        const state = await runtime.stores.conversations.get(conversationId);
        if (!state) return undefined;
        return { slots: runtime.dialog.summarize(state.dialog).slots, paused: state.caseId !== undefined };
      },
    },
  };
}
