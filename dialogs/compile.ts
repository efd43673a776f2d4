import { assign, setup, type AnyStateMachine } from 'xstate';
import type { JsonObject, JsonValue } from '../core/json';
import {
  transitionList,
  type ActionSpec,
  type FlowSpec,
  type StateSpec,
  type TransitionSpec,
} from './flow-schema';
import type { DialogImplementations } from './types';

/** What a flow machine holds: the conversation's slots, its look-up results, failed attempts per slot. */
export interface FlowContext {
  slots: JsonObject;
  results: JsonObject;
  attempts: Record<string, number>;
}

export interface FlowEvent {
  type: string;
  data?: JsonValue;
}

/** The XState action objects the engine interprets at the edge (`say`, `ask`, `lookup`, ...). */
export interface EffectAction {
  type: 'say' | 'note' | 'ask' | 'lookup' | 'do' | 'handoff' | 'consent' | 'consentDeclined';
  params: JsonObject;
}

type CompiledAction =
  EffectAction | { type: 'parley.set' | 'parley.clear' | 'parley.reject'; params: JsonObject };

export interface CompiledFlow {
  spec: FlowSpec;
  machine: AnyStateMachine;
  /** The JSON machine config the YAML became (what `flows diagram` draws). */
  config: JsonObject;
}

function slotNames(value: string | string[]): string[] {
  return Array.isArray(value) ? value : [value];
}

function compileAction(action: ActionSpec): CompiledAction {
  if ('say' in action) return { type: 'say', params: { utterance: action.say } };
  if ('note' in action) return { type: 'note', params: { text: action.note } };
  if ('lookup' in action) {
    const spec = typeof action.lookup === 'string' ? { name: action.lookup } : action.lookup;
    return { type: 'lookup', params: { name: spec.name, as: spec.as ?? spec.name } };
  }
  if ('do' in action) {
    const spec = typeof action.do === 'string' ? { name: action.do } : action.do;
    return { type: 'do', params: { name: spec.name, params: spec.params ?? {} } };
  }
  if ('handoff' in action) {
    const spec = typeof action.handoff === 'string' ? { reason: action.handoff } : action.handoff;
    return { type: 'handoff', params: { ...spec } };
  }
  if ('set' in action) return { type: 'parley.set', params: { values: action.set } };
  if ('clear' in action) return { type: 'parley.clear', params: { slots: slotNames(action.clear) } };
  return { type: 'parley.reject', params: { slots: slotNames(action.reject) } };
}

function compileTransitions(spec: TransitionSpec): JsonObject[] {
  return transitionList(spec).map((transition) => {
    const out: JsonObject = {};
    if (transition.target) out.target = transition.target;
    if (transition.guard) out.guard = transition.guard;
    if (transition.actions) out.actions = transition.actions.map((action) => ({ ...compileAction(action) }));
    return out;
  });
}

/**
 * Where a `consent` state without `on.refused` goes on a no: a final state of the compiled machine only
 * (flow state names start with a letter, so it cannot clash), which says the engine's polite ending.
 */
export const consentDeclinedState = (purpose: string): string => `_consent_declined_${purpose}`;

function compileState(state: StateSpec): JsonObject {
  const entry: JsonObject[] = (state.entry ?? []).map((action) => ({ ...compileAction(action) }));
  // The question comes last so a state can say something before asking.
  if (state.collect) entry.push({ type: 'ask', params: { slot: state.collect } });
  if (state.prompt) entry.push({ type: 'ask', params: { utterance: state.prompt } });
  if (state.consent) entry.push({ type: 'consent', params: { purpose: state.consent } });
  const out: JsonObject = { entry };
  if (state.type) out.type = state.type;
  if (state.description) out.description = state.description;
  const meta: JsonObject = {};
  if (state.collect) meta.collect = state.collect;
  if (state.prompt) meta.prompt = state.prompt;
  if (state.consent) meta.consent = state.consent;
  if (Object.keys(meta).length > 0) out.meta = meta;
  const on = Object.fromEntries(
    Object.entries(state.on ?? {}).map(([event, spec]) => [event, compileTransitions(spec)]),
  );
  if (state.consent && !on.refused) on.refused = [{ target: consentDeclinedState(state.consent) }];
  if (Object.keys(on).length > 0) out.on = on;
  if (state.always) out.always = compileTransitions(state.always);
  return out;
}

/** The YAML flow as a plain XState config (JSON only: functions are injected by `setup`). */
export function toMachineConfig(spec: FlowSpec): JsonObject {
  const states: JsonObject = Object.fromEntries(
    Object.entries(spec.states).map(([name, state]) => [name, compileState(state)]),
  );
  for (const state of Object.values(spec.states))
    if (state.consent && !state.on?.refused)
      states[consentDeclinedState(state.consent)] = {
        type: 'final',
        entry: [{ type: 'consentDeclined', params: { purpose: state.consent } }],
      };
  return { id: spec.id, initial: spec.initial, states };
}

function stringList(params: JsonObject | undefined, key: string): string[] {
  const value = params?.[key];
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
}

const noop = (): void => undefined;

/**
 * Builds the flow's machine with `setup()`: slot bookkeeping is pure (`assign`), guards are the bot's,
 * and every other effect is a named no-op the engine performs after the pure `transition()`.
 */
export function compileFlow(spec: FlowSpec, implementations: DialogImplementations): CompiledFlow {
  const guards = Object.fromEntries(
    Object.entries(implementations.guards ?? {}).map(([name, guard]) => [
      name,
      ({ context, event }: { context: FlowContext; event: FlowEvent }) =>
        guard({ slots: context.slots, results: context.results, data: event.data }),
    ]),
  );
  const config = toMachineConfig(spec);
  const flowSetup = setup({
    types: {} as { context: FlowContext; events: FlowEvent; input: FlowContext },
    actions: {
      say: noop,
      note: noop,
      ask: noop,
      lookup: noop,
      do: noop,
      handoff: noop,
      consent: noop,
      consentDeclined: noop,
      'parley.set': assign(({ context }, params: JsonObject) => {
        const values = params.values;
        const update = values && typeof values === 'object' && !Array.isArray(values) ? values : {};
        return { slots: { ...context.slots, ...update } };
      }),
      'parley.clear': assign(({ context }, params: JsonObject) => ({
        slots: omit(context.slots, stringList(params, 'slots')),
      })),
      // The back-end refused the value: forget it and count it as a failed attempt.
      'parley.reject': assign(({ context }, params: JsonObject) => {
        const slots = stringList(params, 'slots');
        const attempts = { ...context.attempts };
        for (const slot of slots) attempts[slot] = (attempts[slot] ?? 0) + 1;
        return { slots: omit(context.slots, slots), attempts };
      }),
    },
    guards,
  });
  // The config was validated by the flow schema and the static checks; XState cannot type JSON.
  const machine = flowSetup.createMachine({
    ...config,
    context: ({ input }: { input: FlowContext }) => input,
  } as Parameters<typeof flowSetup.createMachine>[0]);
  return { spec, machine, config };
}

function omit(object: JsonObject, keys: string[]): JsonObject {
  return Object.fromEntries(Object.entries(object).filter(([key]) => !keys.includes(key)));
}
