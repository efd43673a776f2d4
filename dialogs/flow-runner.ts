import type { AnyMachineSnapshot } from 'xstate';
import type { EscalationReason, EscalationRequest } from '../core/case';
import type { DialogEvent, DialogTurnInfo } from '../core/dialog';
import type { JsonObject, JsonValue } from '../core/json';
import type { Reply } from '../core/message';
import type { CompiledFlow, FlowContext, FlowEvent } from './compile';
import type { SlotSpec } from './flow-schema';
import { DialogError, EffectError } from './errors';
import { startFlow, stepFlow } from './pure-steps';
import { utteranceIn, type Utterance } from './localized';
import { transitionList } from './flow-schema';
import { MAX_LOG_LINES, type DialogState, type Frame } from './state';
import { renderTemplate, type ValueLabel } from './template';
import type { MessageCatalogue } from '../core/messages';
import type { ConsentPurpose } from '../core/privacy';
import type { DialogImplementations, FlowStepTaken } from './types';

/** The working copy of one step: mutated freely, thrown away whole if an effect fails. */
export interface StepScope {
  turn: DialogTurnInfo;
  state: DialogState;
  replies: Reply[];
  events: DialogEvent[];
  escalation?: EscalationRequest;
  /** Slots filled from this step's message: not "from earlier", so never confirmed before reuse. */
  freshSlots?: string[];
}

/** A `consent` state's check (an answer on record, or the question) and a no's polite ending. */
export interface ConsentCheck {
  check(scope: StepScope, purpose: ConsentPurpose): Promise<FlowEvent | undefined>;
  declined(scope: StepScope, purpose: ConsentPurpose): void;
}

/** Asks before a flow reuses a slot's earlier value (`confirmReuse`); true when it asked. */
export type ReuseCheck = (scope: StepScope, flow: CompiledFlow, frame: Frame, slot: string) => boolean;

export type FrameOutcome = 'waiting' | 'completed';

/** A flow that keeps feeding itself events without waiting for the customer is a bug, not a dialog. */
const MAX_ROUNDS = 25;

interface ActionObject {
  type: string;
  params?: unknown;
  /** XState's view of the context at this action's place in the sequence (after earlier assigns). */
  info?: { context?: unknown };
}

function paramsOf(action: ActionObject): JsonObject {
  const { params } = action;
  return params && typeof params === 'object' && !Array.isArray(params) ? (params as JsonObject) : {};
}

function stringParam(params: JsonObject, key: string): string {
  const value = params[key];
  return typeof value === 'string' ? value : '';
}

export function addLog(state: DialogState, line: string): void {
  state.log.push(line);
  if (state.log.length > MAX_LOG_LINES) state.log.splice(0, state.log.length - MAX_LOG_LINES);
}

/** Runs flow machines purely and performs their named effects at the edge. */
export class FlowRunner {
  constructor(
    private readonly implementations: DialogImplementations,
    /** Texts given as a plain string are in this locale; a locale map falls back to it. */
    private readonly defaultLocale = 'en',
    /** Labels for slot values in each language (`values.time_window.morning: por la mañana`). */
    private readonly messages?: MessageCatalogue,
    /** Told of every step a flow takes (coverage); unset in production. */
    private readonly observe?: (step: FlowStepTaken) => void,
    /** Set by the engine once it is built (repair's `confirmReuse`). */
    public confirmReuse?: ReuseCheck,
    /** Set by the engine once it is built (`dialogs/consent.ts`). */
    public consent?: ConsentCheck,
  ) {}

  /** The machine snapshot a frame stands for, rebuilt from plain JSON. */
  restore(flow: CompiledFlow, frame: Frame, scope: StepScope): AnyMachineSnapshot {
    const context: FlowContext = {
      slots: scope.state.slots,
      results: frame.results,
      attempts: frame.attempts,
    };
    return flow.machine.resolveState({ value: frame.state, context });
  }

  /** The slot the frame's current state is collecting, if any. */
  collecting(flow: CompiledFlow, frame: Frame): string | undefined {
    return flow.spec.states[frame.state]?.collect;
  }

  /** Says an utterance in the conversation's locale, with its voice and SMS forms when the flow has them. */
  say(scope: StepScope, utterance: Utterance, values: JsonObject): void {
    const { locale } = scope.turn;
    const { text, voice, sms, buttons } = utteranceIn(utterance, locale, this.defaultLocale);
    const label: ValueLabel = (path, value) => this.messages?.template(locale, `values.${path}.${value}`);
    const render = (template: string): string => renderTemplate(template, values, locale, label);
    const reply: Reply = { text: render(text), from: 'bot' };
    if (voice) reply.speech = render(voice);
    if (sms) reply.short = render(sms);
    if (buttons) reply.buttons = buttons.map((button) => ({ ...button, title: render(button.title) }));
    scope.replies.push(reply);
  }

  /** Starts `flow` on top of the stack; `results` are known from the start (an outside event's data). */
  async start(scope: StepScope, flow: CompiledFlow, results: JsonObject = {}): Promise<FrameOutcome> {
    const frame: Frame = { flow: flow.spec.id, state: flow.spec.initial, results, attempts: {} };
    // Values from before this flow (not from the message that started it) are confirmed before reuse.
    const inherited = Object.entries(flow.spec.slots)
      .filter(([slot, def]) => def.confirmReuse && scope.state.slots[slot] !== undefined)
      .map(([slot]) => slot)
      .filter((slot) => !scope.freshSlots?.includes(slot));
    if (inherited.length > 0) frame.inherited = inherited;
    scope.state.stack.push(frame);
    const input: FlowContext = { slots: scope.state.slots, results, attempts: {} };
    const [snapshot, actions] = startFlow(flow.machine, input);
    if (this.observe) {
      this.observe({ flow: flow.spec.id, event: 'start', to: flow.spec.initial });
      this.observeAlways(flow, flow.spec.initial, snapshot);
    }
    return this.settle(scope, flow, frame, snapshot, actions);
  }

  async send(scope: StepScope, flow: CompiledFlow, frame: Frame, event: FlowEvent): Promise<FrameOutcome> {
    const [snapshot, actions] = this.transition(flow, this.restore(flow, frame, scope), event);
    return this.settle(scope, flow, frame, snapshot, actions);
  }

  /** XState's pure transition, reported to the observer when there is one. */
  private transition(
    flow: CompiledFlow,
    before: AnyMachineSnapshot,
    event: FlowEvent,
  ): [AnyMachineSnapshot, ActionObject[]] {
    const [after, actions] = stepFlow(flow.machine, before, event);
    if (this.observe) {
      const [taken] = flow.machine.getTransitionData(before, event);
      if (taken) {
        const from = String(before.value);
        const to = taken.target?.[0]?.key ?? from;
        const guard = typeof taken.guard === 'string' ? taken.guard : undefined;
        this.observe({ flow: flow.spec.id, from, event: event.type, ...(guard ? { guard } : {}), to });
        this.observeAlways(flow, to, after, event.data);
      }
    }
    return [after, actions];
  }

  /**
   * An eventless `always` transition moved the flow on from the state it entered: the first of that
   * state's `always` list whose guard holds, as XState chose it.
   */
  private observeAlways(
    flow: CompiledFlow,
    entered: string,
    after: AnyMachineSnapshot,
    data?: JsonValue,
  ): void {
    const to = String(after.value);
    if (to === entered || !this.observe) return;
    const context = after.context as FlowContext;
    const scope = { slots: context.slots, results: context.results, ...(data !== undefined ? { data } : {}) };
    const chosen = transitionList(flow.spec.states[entered]?.always).find(
      (item) => !item.guard || this.implementations.guards?.[item.guard]?.(scope) === true,
    );
    const guard = chosen?.guard;
    this.observe({ flow: flow.spec.id, from: entered, event: 'always', ...(guard ? { guard } : {}), to });
  }

  /** Asks the frame's pending question again (after a digression, help, or a misunderstanding). */
  async resume(scope: StepScope, flow: CompiledFlow, frame: Frame): Promise<FrameOutcome> {
    const state = flow.spec.states[frame.state];
    const ask = state?.collect ? { type: 'ask', params: { slot: state.collect } } : undefined;
    const prompt = state?.prompt ? { type: 'ask', params: { utterance: state.prompt } } : undefined;
    const consent = state?.consent ? { type: 'consent', params: { purpose: state.consent } } : undefined;
    const action = ask ?? prompt ?? consent;
    if (!action) return 'waiting';
    return this.settle(scope, flow, frame, this.restore(flow, frame, scope), [action]);
  }

  private async settle(
    scope: StepScope,
    flow: CompiledFlow,
    frame: Frame,
    first: AnyMachineSnapshot,
    firstActions: ActionObject[],
  ): Promise<FrameOutcome> {
    let snapshot = first;
    let actions = firstActions;
    for (let round = 0; round < MAX_ROUNDS; round += 1) {
      this.commit(scope, frame, snapshot);
      const queue: FlowEvent[] = [];
      for (const action of actions) await this.perform(scope, flow, frame, action, queue);
      const next = queue.shift();
      if (!next || snapshot.status === 'done') return snapshot.status === 'done' ? 'completed' : 'waiting';
      [snapshot, actions] = this.transition(flow, this.restore(flow, frame, scope), next);
    }
    throw new DialogError(`flow did not settle after ${MAX_ROUNDS} rounds`, flow.spec.id, frame.state);
  }

  private commit(scope: StepScope, frame: Frame, snapshot: AnyMachineSnapshot): void {
    const context = snapshot.context as FlowContext;
    frame.state = String(snapshot.value);
    frame.results = context.results;
    frame.attempts = context.attempts;
    scope.state.slots = context.slots;
  }

  private async perform(
    scope: StepScope,
    flow: CompiledFlow,
    frame: Frame,
    action: ActionObject,
    queue: FlowEvent[],
  ): Promise<void> {
    const params = paramsOf(action);
    const context = (action.info?.context as FlowContext | undefined) ?? {
      slots: scope.state.slots,
      results: frame.results,
    };
    const values = { ...context.slots, ...context.results };
    switch (action.type) {
      case 'say':
        return this.say(scope, params.utterance as Utterance, values);
      case 'note':
        return addLog(scope.state, renderTemplate(stringParam(params, 'text'), values));
      case 'ask':
        return this.ask(scope, flow, frame, params, queue);
      case 'handoff':
        return this.handoff(scope, params, values);
      case 'lookup':
        return this.lookup(scope, flow, frame, params, queue);
      case 'do':
        return this.effect(scope, flow, frame, params);
      case 'consent': {
        const answered = await this.consent?.check(scope, stringParam(params, 'purpose') as ConsentPurpose);
        if (answered) queue.push(answered);
        return undefined;
      }
      case 'consentDeclined':
        return this.consent?.declined(scope, stringParam(params, 'purpose') as ConsentPurpose);
      default:
        // Built-in assigns were already applied by the pure transition.
        return undefined;
    }
  }

  private ask(
    scope: StepScope,
    flow: CompiledFlow,
    frame: Frame,
    params: JsonObject,
    queue: FlowEvent[],
  ): void {
    const slot = stringParam(params, 'slot');
    if (!slot)
      return this.say(scope, params.utterance as Utterance, { ...scope.state.slots, ...frame.results });
    const def = flow.spec.slots[slot];
    if (scope.state.slots[slot] !== undefined) {
      if (this.confirmReuse?.(scope, flow, frame, slot)) return;
      queue.push({ type: 'filled', data: scope.state.slots[slot] });
    } else if ((frame.attempts[slot] ?? 0) >= def.maxAttempts) {
      scope.events.push({ event: 'slot.exhausted', data: { flow: flow.spec.id, slot } });
      queue.push({ type: 'exhausted' });
    } else {
      this.askSlot(scope, slot, def, def.prompt, { ...scope.state.slots, ...frame.results });
    }
  }

  /** Says a slot's prompt (or reprompt) and marks the reply with the slot it asks, for listening channels. */
  askSlot(scope: StepScope, slot: string, def: SlotSpec, utterance: Utterance, values: JsonObject): void {
    this.say(scope, utterance, values);
    const reply = scope.replies.at(-1);
    if (!reply) return;
    reply.asks = { slot, entity: def.entity ?? slot, ...(def.sensitive ? { sensitive: true } : {}) };
  }

  private handoff(scope: StepScope, params: JsonObject, values: JsonObject): void {
    const request: EscalationRequest = { reason: stringParam(params, 'reason') as EscalationReason };
    if (typeof params.detail === 'string') request.detail = renderTemplate(params.detail, values);
    if (typeof params.queue === 'string') request.queue = params.queue;
    if (typeof params.priority === 'number') request.priority = params.priority;
    scope.escalation = request;
  }

  private async lookup(
    scope: StepScope,
    flow: CompiledFlow,
    frame: Frame,
    params: JsonObject,
    queue: FlowEvent[],
  ): Promise<void> {
    const name = stringParam(params, 'name');
    const as = stringParam(params, 'as') || name;
    const implementation = this.implementations.lookups?.[name];
    try {
      if (!implementation) throw new Error(`no look-up named ${name}`);
      const result: JsonValue = await implementation({
        slots: scope.state.slots,
        results: frame.results,
        turn: scope.turn,
      });
      frame.results = { ...frame.results, [as]: result ?? null };
      queue.push({ type: 'done', data: result ?? null });
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      // A flow that handles `error` decides what to say; otherwise the whole step is undone.
      if (!this.restore(flow, frame, scope).can({ type: 'error' }))
        throw new EffectError(name, flow.spec.id, frame.state, error);
      scope.events.push({
        event: 'lookup.failed',
        data: { flow: flow.spec.id, lookup: name, error: message },
      });
      addLog(scope.state, `Look-up ${name} failed`);
      queue.push({ type: 'error', data: { message } });
    }
  }

  private async effect(
    scope: StepScope,
    flow: CompiledFlow,
    frame: Frame,
    params: JsonObject,
  ): Promise<void> {
    const name = stringParam(params, 'name');
    const implementation = this.implementations.effects?.[name];
    const effectParams = paramsOf({ type: name, params: params.params });
    try {
      if (!implementation) throw new Error(`no effect named ${name}`);
      await implementation({
        slots: scope.state.slots,
        results: frame.results,
        turn: scope.turn,
        params: effectParams,
      });
    } catch (error) {
      throw new EffectError(name, flow.spec.id, frame.state, error);
    }
  }
}
