import type { TranscriptReader } from '../core/ports';
import type { SeenLine } from '../core/runtime';

/** System events sit between said lines: read this many entries per line wanted, then filter. */
const ENTRIES_PER_LINE = 4;

/**
 * The last `limit` lines the customer said or was shown, oldest first. Entries carrying an `event` are
 * bookkeeping (flow events, internal agent notes, `launch`) and are never shown to a customer.
 */
export async function seenLines(
  transcripts: TranscriptReader,
  conversationId: string,
  limit = 50,
): Promise<SeenLine[]> {
  const total = await transcripts.count(conversationId);
  const want = limit * ENTRIES_PER_LINE;
  const entries = await transcripts.read(conversationId, { offset: Math.max(0, total - want), limit: want });
  const lines: SeenLine[] = [];
  for (const entry of entries) {
    if (entry.event !== undefined || entry.text === undefined) continue;
    const label = entry.data?.['label'];
    lines.push({
      speaker: entry.speaker,
      text: typeof label === 'string' ? label : entry.text,
      ...(entry.speaker === 'agent' && entry.agent ? { agentName: entry.agent } : {}),
    });
  }
  return lines.slice(-limit);
}
