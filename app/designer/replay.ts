import type { DialogEngine } from '../../core/dialog';
import type { JsonValue } from '../../core/json';
import type { NluResult } from '../../core/nlu';
import type { TranscriptEntry } from '../../core/transcript';
import type { FlowStepTaken } from '../../dialogs';

/** What the replay needs: the bot's flows as they are now, watched, and its NLU. */
export interface ReplayDeps {
  /** A fresh engine over the current flow files, reporting every transition it takes to `observe`. */
  loadEngine(observe: (step: FlowStepTaken) => void): DialogEngine;
  parse(text: string): Promise<NluResult>;
  /** The reference time of the replayed turns (flows read dates from it). */
  now: () => number;
}

/** One customer message and what the current flows make of it. */
export interface ReplayedTurn {
  text: string;
  intent: string;
  confidence: number;
  /** The transitions taken in this turn, in order (a flow's start is `event: 'start'`, no `from`). */
  steps: FlowStepTaken[];
  replies: string[];
}

/**
 * Plays a conversation's customer messages through the bot's current flows and NLU, recording the states
 * and transitions each turn takes: the path the designer sees highlighted. Look-ups run against the bot's
 * own implementations; nothing is stored and no channel hears anything.
 */
export async function replayConversation(
  texts: readonly string[],
  deps: ReplayDeps,
): Promise<ReplayedTurn[]> {
  let steps: FlowStepTaken[] = [];
  const engine = deps.loadEngine((step) => steps.push(step));
  let state: JsonValue | undefined;
  const turns: ReplayedTurn[] = [];
  for (const text of texts) {
    steps = [];
    const nlu = await deps.parse(text);
    const outcome = await engine.step(
      state,
      { type: 'user', text, nlu },
      {
        conversationId: 'designer-replay',
        customerId: 'designer-replay',
        channel: 'designer',
        locale: nlu.locale,
        now: deps.now(),
      },
    );
    state = outcome.state;
    turns.push({
      text,
      intent: nlu.intent.name,
      confidence: nlu.intent.confidence,
      steps,
      replies: outcome.replies.flatMap((reply) => (reply.text ? [reply.text] : [])),
    });
  }
  return turns;
}

const SPEAKER = /^\s*(user|customer|you|me|bot|agent|system)\s*[>:]\s?(.*)$/i;

/**
 * The customer's messages in a pasted transcript: lines `user> …` or `customer: …` (NLP.js and Parley
 * conversation-script style); bot and agent lines are skipped; a transcript with no speakers at all is
 * one customer message per line.
 */
export function customerLinesOf(pasted: string): string[] {
  const lines = pasted
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter(Boolean);
  const spoken = lines.map((line) => SPEAKER.exec(line));
  if (spoken.every((match) => match === null)) return lines;
  return spoken.flatMap((match) =>
    match && /^(user|customer|you|me)$/i.test(match[1] ?? '') && match[2]?.trim() ? [match[2].trim()] : [],
  );
}

/** The customer's messages of a stored transcript, in order. */
export function customerLinesOfTranscript(entries: readonly TranscriptEntry[]): string[] {
  return entries.flatMap((entry) => (entry.speaker === 'customer' && entry.text ? [entry.text] : []));
}
