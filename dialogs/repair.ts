import type { DialogInput } from '../core/dialog';
import type { Button } from '../core/message';
import { OUT_OF_SCOPE, type Entity, type NluResult } from '../core/nlu';
import type { CompiledFlow } from './compile';
import type { FlowRunner, FrameOutcome, StepScope } from './flow-runner';
import { labelIn } from './localized';
import type { DialogState, Frame, PendingQuestion } from './state';
import { renderTemplate } from './template';
import type { EngineTexts, ValidatorImplementation } from './types';

/**
 * Conversation repair: what the engine does when a message is not simply the next answer. Each behaviour
 * follows the `repair:` settings of the flow concerned (`flow-schema.ts`, `dialogs/README.md`).
 */

type UserInput = Extract<DialogInput, { type: 'user' }>;

export interface TopFrame {
  frame: Frame;
  flow: CompiledFlow;
}

/** What repair needs from the engine. */
export interface RepairHost {
  readonly runner: FlowRunner;
  readonly defaultLocale: string;
  readonly clarifyMargin: number;
  readonly clarifyFloor: number;
  readonly confidenceThreshold: number;
  texts(scope: StepScope): EngineTexts;
  top(scope: StepScope): TopFrame | undefined;
  flowFor(intent: string): CompiledFlow | undefined;
  validator(flow: CompiledFlow, slot: string): ValidatorImplementation | undefined;
  title(flow: CompiledFlow, locale: string): string;
  yesNo(scope: StepScope): Button[];
  unwind(scope: StepScope, outcome: FrameOutcome): Promise<void>;
  resumeTop(scope: StepScope): Promise<void>;
  startFlow(scope: StepScope, flow: CompiledFlow, input: UserInput): Promise<void>;
}

/** Nothing but spaces (or nothing at all). */
export function isEmptyMessage(text: string): boolean {
  return text.trim().length === 0;
}

function words(list: string): string[] {
  return list
    .split('|')
    .map((word) => word.trim().toLowerCase())
    .filter(Boolean);
}

function plain(text: string): string {
  return ` ${text
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s]/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim()} `;
}

/** "when do you close?", "¿a qué hora abrís?", "is it going to rain": a question, not an answer. */
export function looksLikeQuestion(text: string, questionWords: string): boolean {
  const trimmed = text.trim();
  if (trimmed.endsWith('?') || trimmed.startsWith('¿')) return true;
  const first = plain(trimmed).trim().split(' ')[0] ?? '';
  return words(questionWords).includes(first);
}

/** "no, make it Thursday", "actually it's A1002": the message says a value given before was wrong. */
export function hasCorrectionCue(text: string, correctionWords: string): boolean {
  const padded = plain(text);
  return words(correctionWords).some((word) => padded.includes(` ${word} `));
}

/** "SW1A 1AA" at a postcode question is an answer, whatever intent the NLU guessed for it. */
export function isBareAnswer(host: RepairHost, scope: StepScope, input: UserInput): boolean {
  const top = host.top(scope);
  const slot = top && host.runner.collecting(top.flow, top.frame);
  if (!top || !slot) return false;
  const entityName = top.flow.spec.slots[slot].entity ?? slot;
  const answer = input.nlu.entities.find((entity) => entity.entity === entityName);
  return answer !== undefined && answer.text.length >= 0.6 * input.text.trim().length;
}

/**
 * The customer answered the slot question with nothing usable: one attempt spent (failed look-ups spend
 * them too, with `reject`), then the reprompt, or `exhausted` as the flow says.
 */
export async function retrySlot(host: RepairHost, scope: StepScope): Promise<boolean> {
  const top = host.top(scope);
  const slot = top && host.runner.collecting(top.flow, top.frame);
  if (!top || !slot) return false;
  const def = top.flow.spec.slots[slot];
  const attempts = (top.frame.attempts[slot] ?? 0) + 1;
  top.frame.attempts[slot] = attempts;
  scope.events.push({ event: 'slot.rejected', data: { flow: top.flow.spec.id, slot, attempts } });
  if (attempts < def.maxAttempts) {
    const values = { ...scope.state.slots, ...top.frame.results };
    host.runner.askSlot(scope, slot, def, def.reprompt ?? def.prompt, values);
    return true;
  }
  scope.events.push({ event: 'slot.exhausted', data: { flow: top.flow.spec.id, slot } });
  await host.unwind(scope, await host.runner.send(scope, top.flow, top.frame, { type: 'exhausted' }));
  return true;
}

/**
 * At a slot question, a question the NLU cannot place is not a bad answer: the fallback answers it and the
 * slot is asked again (when the flow's `repair.outOfScope` is `fallback`). A message with the slot's entity
 * is an answer, however it is phrased.
 */
export function isOffTopicQuestion(host: RepairHost, scope: StepScope, input: UserInput): boolean {
  const top = host.top(scope);
  const slot = top && host.runner.collecting(top.flow, top.frame);
  if (!top || !slot || top.flow.spec.repair.outOfScope !== 'fallback') return false;
  const entity = top.flow.spec.slots[slot].entity ?? slot;
  if (input.nlu.entities.some((item) => item.entity === entity)) return false;
  return looksLikeQuestion(input.text, host.texts(scope).questionWords);
}

/**
 * "no, the 14th, not the 4th": with a correction cue, an entity for a slot the flow on top already holds,
 * with a different value that its validator accepts, replaces it. Returns the slots it changed.
 */
export function correctSlots(host: RepairHost, scope: StepScope, top: TopFrame, input: UserInput): string[] {
  const { flow } = top;
  if (!flow.spec.repair.corrections) return [];
  if (!hasCorrectionCue(input.text, host.texts(scope).correctionWords)) return [];
  const collecting = host.runner.collecting(flow, top.frame);
  const changed: string[] = [];
  for (const [slot, def] of Object.entries(flow.spec.slots)) {
    const current = scope.state.slots[slot];
    if (slot === collecting || current === undefined) continue;
    const validator = host.validator(flow, slot);
    const context = { now: scope.turn.now, slots: scope.state.slots };
    const replacement = input.nlu.entities.find(
      (item) =>
        item.entity === (def.entity ?? slot) &&
        JSON.stringify(item.value) !== JSON.stringify(current) &&
        (!validator || validator(item.value, context)),
    );
    if (!replacement) continue;
    scope.state.slots = { ...scope.state.slots, [slot]: replacement.value };
    scope.events.push({
      event: 'slot.corrected',
      data: { flow: flow.spec.id, slot, value: replacement.value },
    });
    changed.push(slot);
  }
  return changed;
}

/**
 * After a correction (or a value given outside its question): the state takes `corrected` when it has a
 * transition for it (look the order up again), else its question is asked again with the new value.
 */
export async function afterCorrection(host: RepairHost, scope: StepScope, top: TopFrame): Promise<void> {
  const event = { type: 'corrected' };
  if (host.runner.restore(top.flow, top.frame, scope).can(event))
    return host.unwind(scope, await host.runner.send(scope, top.flow, top.frame, event));
  return host.unwind(scope, await host.runner.resume(scope, top.flow, top.frame));
}

/**
 * Two flows' intents nearly tied at the top of the ranking (calibrated confidences within `clarifyMargin`,
 * the second at least `clarifyFloor`), neither of them the flow under way, both with a title and neither
 * with `repair.clarify: false`.
 */
export function closeCall(
  host: RepairHost,
  scope: StepScope,
  nlu: NluResult,
): [CompiledFlow, CompiledFlow] | undefined {
  if (host.clarifyMargin <= 0) return undefined;
  const [first, second] = [...nlu.intent_ranking].sort((a, b) => b.confidence - a.confidence);
  if (!first || !second || first.name === OUT_OF_SCOPE || second.name === OUT_OF_SCOPE) return undefined;
  if (second.confidence < host.clarifyFloor || first.confidence - second.confidence > host.clarifyMargin)
    return undefined;
  if (first.confidence + second.confidence < host.confidenceThreshold) return undefined;
  const [a, b] = [host.flowFor(first.name), host.flowFor(second.name)];
  const onTop = host.top(scope)?.flow.spec.id;
  if (!a || !b || a === b || a.spec.id === onTop || b.spec.id === onTop) return undefined;
  // Only flows a customer is offered (with a title) are named in a question.
  const offered = (flow: CompiledFlow): boolean => flow.spec.repair.clarify && flow.spec.title !== undefined;
  if (!offered(a) || !offered(b)) return undefined;
  return [a, b];
}

/** "Do you mean your bill or a payment?", with a button for each; the message's entities wait for the answer. */
export function askClarification(
  host: RepairHost,
  scope: StepScope,
  pair: [CompiledFlow, CompiledFlow],
  input: UserInput,
): void {
  const { locale } = scope.turn;
  const name = (flow: CompiledFlow): string =>
    flow.spec.clarifyAs === undefined
      ? host.title(flow, locale).toLowerCase() || flow.spec.id
      : labelIn(flow.spec.clarifyAs, locale, host.defaultLocale);
  const text = renderTemplate(host.texts(scope).clarify, { first: name(pair[0]), second: name(pair[1]) });
  const buttons = pair.map((flow) => ({
    title: host.title(flow, locale) || name(flow),
    payload: `/${flow.spec.triggers[0]}`,
  }));
  scope.replies.push({ text, from: 'bot', buttons });
  const entities = input.nlu.entities.map(({ entity, value, text: surface }) => ({
    entity,
    value,
    text: surface,
  }));
  scope.state.pending = { kind: 'clarify', intents: pair.map((flow) => flow.spec.triggers[0]), entities };
  scope.events.push({
    event: 'intent.clarify',
    data: { intents: pair.map((flow) => flow.spec.triggers[0]), text: input.text },
  });
}

/**
 * The flow on top is about to reuse a value from earlier in the conversation: with `confirmReuse`, it asks
 * first ("Is this about order A1001?") unless the value came in this very message. True when it asked.
 */
export function confirmBeforeReuse(
  host: RepairHost,
  scope: StepScope,
  flow: CompiledFlow,
  frame: Frame,
  slot: string,
): boolean {
  const ask = flow.spec.slots[slot]?.confirmReuse;
  if (!ask || !frame.inherited?.includes(slot) || scope.freshSlots?.includes(slot)) return false;
  const value = scope.state.slots[slot];
  const utterance = ask === true ? host.texts(scope).confirmReuse : ask;
  host.runner.say(scope, utterance, { ...scope.state.slots, value: value ?? null });
  const reply = scope.replies.at(-1);
  if (reply && !reply.buttons) reply.buttons = host.yesNo(scope);
  scope.state.pending = { kind: 'confirm_reuse', flow: flow.spec.id, slot };
  scope.events.push({ event: 'slot.confirm_reuse', data: { flow: flow.spec.id, slot } });
  return true;
}

type RepairPending = Extract<PendingQuestion, { kind: 'confirm_reuse' | 'clarify' }>;

export function isRepairPending(pending: DialogState['pending']): pending is RepairPending {
  return pending?.kind === 'confirm_reuse' || pending?.kind === 'clarify';
}

/**
 * The answer to a repair question. Returns false when the message answers something else: the engine
 * then handles it as any message (the question is dropped; a flow asks it again when it resumes).
 */
export async function answerRepair(
  host: RepairHost,
  scope: StepScope,
  pending: RepairPending,
  input: UserInput,
  understood: string | undefined,
): Promise<boolean> {
  if (pending.kind === 'clarify') {
    if (!understood || !pending.intents.includes(understood)) return false;
    const flow = host.flowFor(understood);
    if (!flow) return false;
    const entities = [...pending.entities.map((item) => asEntity(item)), ...input.nlu.entities];
    scope.events.push({ event: 'intent.clarified', data: { intent: understood } });
    await host.startFlow(scope, flow, { ...input, nlu: { ...input.nlu, entities } });
    return true;
  }
  return answerReuse(host, scope, pending, input, understood);
}

async function answerReuse(
  host: RepairHost,
  scope: StepScope,
  pending: Extract<PendingQuestion, { kind: 'confirm_reuse' }>,
  input: UserInput,
  understood: string | undefined,
): Promise<boolean> {
  const top = host.top(scope);
  if (
    !top ||
    top.flow.spec.id !== pending.flow ||
    host.runner.collecting(top.flow, top.frame) !== pending.slot
  )
    return false;
  const def = top.flow.spec.slots[pending.slot];
  const validator = host.validator(top.flow, pending.slot);
  const context = { now: scope.turn.now, slots: scope.state.slots };
  const other = input.nlu.entities.find(
    (item) => item.entity === (def.entity ?? pending.slot) && (!validator || validator(item.value, context)),
  );
  if (!other && understood !== 'affirm' && understood !== 'deny') return false;
  // Answered: whatever the answer, the value is the customer's own from now on.
  top.frame.inherited = top.frame.inherited?.filter((slot) => slot !== pending.slot);
  if (other) scope.state.slots = { ...scope.state.slots, [pending.slot]: other.value };
  if (other || understood === 'affirm') {
    scope.state.misunderstood = 0;
    const data = scope.state.slots[pending.slot] ?? null;
    scope.events.push({ event: 'slot.reuse_confirmed', data: { flow: pending.flow, slot: pending.slot } });
    return host
      .unwind(scope, await host.runner.send(scope, top.flow, top.frame, { type: 'filled', data }))
      .then(() => true);
  }
  const slots = { ...scope.state.slots };
  delete slots[pending.slot];
  scope.state.slots = slots;
  scope.events.push({ event: 'slot.reuse_declined', data: { flow: pending.flow, slot: pending.slot } });
  await host.resumeTop(scope);
  return true;
}

function asEntity(item: { entity: string; value: Entity['value']; text: string }): Entity {
  return { ...item, start: 0, end: item.text.length };
}
