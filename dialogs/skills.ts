import type { Reply } from '../core/message';
import type { BuiltinSkill } from '../core/skills';
import type { CompiledFlow } from './compile';
import { addLog, type StepScope } from './flow-runner';
import type { EngineTexts } from './types';

/** What the built-in skills need from the engine. */
export interface SkillHost {
  readonly flows: ReadonlyMap<string, CompiledFlow>;
  /** The engine's sentences in the turn's language. */
  texts(scope: StepScope): EngineTexts;
  sayMenu(scope: StepScope, template: string): void;
  /** Re-asks the question of the flow now on top, if any. */
  resumeTop(scope: StepScope): Promise<void>;
}

/**
 * The framework's behaviour for a built-in skill that no flow of the bot took (a bot's own flow for the
 * intent always wins). Returns false when the skill has nothing to do here: `affirm`/`deny` mean something
 * only as an answer, and `human_agent` is global (the engine escalates before any flow).
 */
export async function answerSkill(skill: BuiltinSkill, scope: StepScope, host: SkillHost): Promise<boolean> {
  const texts = host.texts(scope);
  switch (skill) {
    case 'greet':
      host.sayMenu(scope, texts.greet);
      await host.resumeTop(scope);
      return true;
    case 'help':
      host.sayMenu(scope, texts.help);
      await host.resumeTop(scope);
      return true;
    case 'thanks':
      scope.replies.push({ text: texts.thanks, from: 'bot' });
      await host.resumeTop(scope);
      return true;
    case 'goodbye':
      scope.state.stack = [];
      scope.replies.push({ text: texts.goodbye, from: 'bot', endSession: true });
      return true;
    case 'cancel':
      await cancelTop(scope, host);
      return true;
    case 'repeat':
      repeat(scope, host);
      return true;
    case 'human_agent':
    case 'affirm':
    case 'deny':
      return false;
  }
}

/** Stops the flow under way (forgetting the slots only it used) and resumes the one it interrupted. */
async function cancelTop(scope: StepScope, host: SkillHost): Promise<void> {
  const { state } = scope;
  const cancelled = state.stack.pop();
  if (!cancelled) {
    host.sayMenu(scope, host.texts(scope).nothingToCancel);
    return;
  }
  const slotsOf = (id: string): string[] => Object.keys(host.flows.get(id)?.spec.slots ?? {});
  const stillNeeded = new Set(state.stack.flatMap((frame) => slotsOf(frame.flow)));
  const slots = { ...state.slots };
  for (const slot of slotsOf(cancelled.flow)) if (!stillNeeded.has(slot)) delete slots[slot];
  state.slots = slots;
  const flow = host.flows.get(cancelled.flow);
  addLog(state, `Customer cancelled ${flow?.spec.title ?? cancelled.flow}`);
  scope.events.push({ event: 'flow.cancelled', data: { flow: cancelled.flow, state: cancelled.state } });
  if (state.stack.length === 0) {
    scope.replies.push({ text: host.texts(scope).cancelledAll, from: 'bot' });
    return;
  }
  scope.replies.push({ text: host.texts(scope).cancelled, from: 'bot' });
  await host.resumeTop(scope);
}

function repeat(scope: StepScope, host: SkillHost): void {
  const last = scope.state.lastReplies;
  if (!last?.length) {
    host.sayMenu(scope, host.texts(scope).nothingToRepeat);
    return;
  }
  // Kept replies were validated as the bot's own when the state was read.
  scope.replies.push(...last.map((reply) => structuredClone(reply) as Reply));
  scope.events.push({ event: 'replies.repeated', data: { count: last.length } });
}
