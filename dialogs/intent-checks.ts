import { OUT_OF_SCOPE } from '../core/nlu';
import { BUILTIN_SKILLS } from '../core/skills';
import type { FlowIssue } from './errors';
import { ENGINE_EVENTS } from './flow-schema';
import type { SourceFlow } from './flow-loader';

/** A training phrase as the checks see it: where it was written and what it is labelled. */
export interface TrainingPhrase {
  text: string;
  intent: string;
  where?: { file: string; line?: number };
}

export interface IntentCheckInput {
  /** The bot's own phrases (not the built-in ones). */
  phrases: readonly TrainingPhrase[];
  /** Bot phrases that the framework ships under a built-in skill of another name. */
  collisions: ReadonlyArray<{ phrase: TrainingPhrase; skill: string }>;
}

/** Intents something answers: a flow's trigger or state event, a built-in skill, or the fallback. */
function handledIntents(flows: readonly SourceFlow[]): Set<string> {
  const handled = new Set<string>([...BUILTIN_SKILLS, OUT_OF_SCOPE]);
  for (const { spec } of flows) {
    spec.triggers.forEach((intent) => handled.add(intent));
    for (const state of Object.values(spec.states))
      for (const event of Object.keys(state.on ?? {}))
        if (!(ENGINE_EVENTS as readonly string[]).includes(event)) handled.add(event);
  }
  return handled;
}

function warning(phrase: TrainingPhrase, message: string): FlowIssue {
  return {
    file: phrase.where?.file ?? 'nlu',
    ...(phrase.where?.line !== undefined ? { line: phrase.where.line } : {}),
    path: `intents.${phrase.intent}`,
    message,
    severity: 'warning',
  };
}

/**
 * Warnings on a bot's training data against its flows: an intent the NLU can return that nothing answers
 * (the customer would get the fallback), and a phrase the framework teaches as a built-in skill.
 */
export function checkIntents(flows: readonly SourceFlow[], input: IntentCheckInput): FlowIssue[] {
  const handled = handledIntents(flows);
  const issues: FlowIssue[] = [];
  const seen = new Set<string>();
  for (const phrase of input.phrases) {
    if (handled.has(phrase.intent) || seen.has(phrase.intent)) continue;
    seen.add(phrase.intent);
    issues.push(warning(phrase, `intent "${phrase.intent}" has training phrases but no flow handles it`));
  }
  for (const { phrase, skill } of input.collisions) {
    issues.push(
      warning(
        phrase,
        `"${phrase.text}" is also a phrase of the built-in skill "${skill}": the bot's label wins, ` +
          `so "${skill}" no longer hears it (move it, or set skills.${skill}: replace)`,
      ),
    );
  }
  return issues;
}
