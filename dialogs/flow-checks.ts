import type { FlowIssue } from './errors';
import type { IssuePath, SourceFlow } from './flow-loader';
import {
  ENGINE_EVENTS,
  EXTERNAL_EVENT,
  transitionList,
  type ActionSpec,
  type FlowSpec,
  type StateSpec,
  type TransitionObject,
  type TransitionSpec,
  type Utterance,
} from './flow-schema';
import { hasLocale, utteranceTexts } from './localized';
import { placeholders, TEMPLATE_FORMATS } from './template';
import type { DialogImplementations } from './types';
import { BUILTIN_VALIDATORS } from './validators';

export interface CheckOptions {
  implementations: DialogImplementations;
  intents?: readonly string[];
  /** Locale maps (`{ en: ..., es: ... }`) must have this one; plain strings are in it. Default `en`. */
  defaultLocale?: string;
}

type Report = (path: IssuePath, message: string) => void;

/** Look-up result names a flow can interpolate (`lookup: { name, as }`), and `event` in event-driven flows. */
function resultNames(spec: FlowSpec): Set<string> {
  const names = new Set<string>();
  const outside = Object.values(spec.states).some((state) =>
    Object.keys(state.on ?? {}).some((event) => EXTERNAL_EVENT.test(event)),
  );
  // The outside event that started the flow is `results.event`; the latest one that woke it `results.latest`.
  if (spec.events.length > 0 || outside) for (const name of ['event', 'latest']) names.add(name);
  // A flow opened by a personalised hypothesis starts with the customer's activity as `results.activity`.
  if (spec.personalise) names.add('activity');
  for (const state of Object.values(spec.states)) {
    for (const action of state.entry ?? []) {
      if ('lookup' in action)
        names.add(
          typeof action.lookup === 'string' ? action.lookup : (action.lookup.as ?? action.lookup.name),
        );
    }
  }
  return names;
}

function hasLookup(state: StateSpec): boolean {
  return (state.entry ?? []).some((action) => 'lookup' in action);
}

class FlowChecker {
  private readonly results: Set<string>;

  constructor(
    private readonly spec: FlowSpec,
    private readonly options: CheckOptions,
    private readonly report: Report,
  ) {
    this.results = resultNames(spec);
  }

  run(): void {
    const { spec } = this;
    if (!(spec.initial in spec.states)) this.report(['initial'], `unknown state "${spec.initial}"`);
    const defaultLocale = this.options.defaultLocale ?? 'en';
    if (spec.title !== undefined && !hasLocale(spec.title, defaultLocale))
      this.report(['title'], `no title for the default locale "${defaultLocale}"`);
    spec.triggers.forEach((intent, index) => this.checkIntent(['triggers', index], intent));
    for (const [slot, def] of Object.entries(spec.slots)) {
      this.checkUtterance(['slots', slot, 'prompt'], def.prompt);
      if (def.reprompt) this.checkUtterance(['slots', slot, 'reprompt'], def.reprompt);
      if (def.confirmReuse !== undefined && typeof def.confirmReuse !== 'boolean')
        this.checkUtterance(['slots', slot, 'confirmReuse'], def.confirmReuse);
      const validators = { ...BUILTIN_VALIDATORS, ...this.options.implementations.validators };
      if (def.validate && !(def.validate in validators)) {
        this.report(['slots', slot, 'validate'], `unknown validator "${def.validate}"`);
      }
    }
    if (spec.clarifyAs !== undefined && !hasLocale(spec.clarifyAs, defaultLocale))
      this.report(['clarifyAs'], `no text for the default locale "${defaultLocale}"`);
    if (spec.personalise) this.checkHypothesis(spec.personalise.hypothesis);
    for (const [name, state] of Object.entries(spec.states)) this.checkState(name, state);
    this.checkGraph();
  }

  /** A hypothesis tells the customer only what they already know: the activity's facts, no slot or result. */
  private checkHypothesis(hypothesis: Utterance): void {
    const path = ['personalise', 'hypothesis'];
    const defaultLocale = this.options.defaultLocale ?? 'en';
    const { texts, missingDefault } = utteranceTexts(hypothesis, defaultLocale);
    if (missingDefault) this.report(path, `no text for the default locale "${defaultLocale}"`);
    for (const { path: inner, text } of texts)
      for (const { root, format } of placeholders(text)) {
        if (root !== 'activity')
          this.report([...path, ...inner], `a hypothesis may only name {activity.…}, not "{${root}}"`);
        if (format && !TEMPLATE_FORMATS.includes(format))
          this.report([...path, ...inner], `unknown format "|${format}"`);
      }
  }

  private checkIntent(path: IssuePath, intent: string): void {
    const { intents } = this.options;
    if (intents && !intents.includes(intent)) this.report(path, `unknown intent "${intent}"`);
  }

  private checkSlot(path: IssuePath, slot: string): void {
    if (!(slot in this.spec.slots)) this.report(path, `unknown slot "${slot}" (declare it under slots)`);
  }

  private checkUtterance(path: IssuePath, utterance: Utterance): void {
    const defaultLocale = this.options.defaultLocale ?? 'en';
    const { texts, missingDefault } = utteranceTexts(utterance, defaultLocale);
    if (missingDefault) this.report(path, `no text for the default locale "${defaultLocale}"`);
    for (const { path: inner, text } of texts) this.checkPlaceholders([...path, ...inner], text);
  }

  private checkPlaceholders(path: IssuePath, text: string): void {
    for (const { root, format } of placeholders(text)) {
      if (!(root in this.spec.slots) && !this.results.has(root)) {
        this.report(path, `unknown slot or look-up result "{${root}}"`);
      }
      if (format && !TEMPLATE_FORMATS.includes(format)) this.report(path, `unknown format "|${format}"`);
    }
  }

  private checkAction(path: IssuePath, action: ActionSpec): void {
    const impl = this.options.implementations;
    if ('say' in action) this.checkUtterance([...path, 'say'], action.say);
    else if ('note' in action) this.checkPlaceholders([...path, 'note'], action.note);
    else if ('lookup' in action) {
      const name = typeof action.lookup === 'string' ? action.lookup : action.lookup.name;
      if (!impl.lookups?.[name])
        this.report([...path, 'lookup'], `unknown look-up "${name}" (not in implementations)`);
    } else if ('do' in action) {
      const name = typeof action.do === 'string' ? action.do : action.do.name;
      if (!impl.effects?.[name])
        this.report([...path, 'do'], `unknown effect "${name}" (not in implementations)`);
    } else if ('set' in action) {
      Object.keys(action.set).forEach((slot) => this.checkSlot([...path, 'set', slot], slot));
    } else if ('clear' in action || 'reject' in action) {
      const key = 'clear' in action ? 'clear' : 'reject';
      const value = 'clear' in action ? action.clear : action.reject;
      (Array.isArray(value) ? value : [value]).forEach((slot) => this.checkSlot([...path, key], slot));
    }
  }

  private checkTransition(path: IssuePath, transition: TransitionObject): void {
    if (transition.target !== undefined && !(transition.target in this.spec.states)) {
      this.report([...path, 'target'], `unknown target state "${transition.target}"`);
    }
    if (transition.guard && !this.options.implementations.guards?.[transition.guard]) {
      this.report([...path, 'guard'], `unknown guard "${transition.guard}" (not in implementations)`);
    }
    transition.actions?.forEach((action, index) => this.checkAction([...path, 'actions', index], action));
  }

  private checkTransitions(path: IssuePath, written: TransitionSpec): void {
    const items = Array.isArray(written) ? written : [written];
    items.forEach((item, index) => {
      const at = Array.isArray(written) ? [...path, index] : path;
      // A bare `event: target` has no `.target` key to point at.
      if (typeof item !== 'string') this.checkTransition(at, item);
      else if (!(item in this.spec.states)) this.report(at, `unknown target state "${item}"`);
    });
  }

  private checkEvent(path: IssuePath, state: StateSpec, event: string): void {
    const engineEvent = (ENGINE_EVENTS as readonly string[]).includes(event);
    // Outside events (`device.result`) are named by whoever sends them, not by the NLU.
    if (EXTERNAL_EVENT.test(event)) return undefined;
    if (!engineEvent) return this.checkIntent(path, event);
    if ((event === 'filled' || event === 'exhausted') && !state.collect) {
      this.report(path, `"${event}" is only sent to a state that collects a slot`);
    }
    if ((event === 'done' || event === 'error') && !hasLookup(state)) {
      this.report(path, `"${event}" is only sent to a state whose entry runs a look-up`);
    }
    if ((event === 'granted' || event === 'refused') && !state.consent) {
      this.report(path, `"${event}" is only sent to a state that asks for consent`);
    }
  }

  private checkState(name: string, state: StateSpec): void {
    const at: IssuePath = ['states', name];
    state.entry?.forEach((action, index) => this.checkAction([...at, 'entry', index], action));
    if (state.collect) this.checkSlot([...at, 'collect'], state.collect);
    if (state.prompt) this.checkUtterance([...at, 'prompt'], state.prompt);
    if (state.collect && state.prompt)
      this.report(at, 'use either collect (the slot has its prompt) or prompt');
    if (state.consent && (state.collect || state.prompt || state.type === 'final' || state.always))
      this.report(
        at,
        'a state that asks for consent waits for the answer: no collect, prompt, always or final',
      );
    if (state.consent && !state.on?.granted)
      this.report([...at, 'on'], 'a state that asks for consent must handle "granted" (where a yes goes)');
    for (const [event, written] of Object.entries(state.on ?? {})) {
      this.checkEvent([...at, 'on', event], state, event);
      this.checkTransitions([...at, 'on', event], written);
    }
    if (state.always) this.checkTransitions([...at, 'always'], state.always);
    this.checkShape(at, state);
  }

  private checkShape(at: IssuePath, state: StateSpec): void {
    const events = Object.keys(state.on ?? {});
    if (state.type === 'final') {
      if (events.length > 0 || state.always) this.report(at, 'a final state cannot have transitions');
      if (state.collect || state.prompt) this.report(at, 'a final state cannot wait for an answer');
      return;
    }
    if (state.collect) {
      for (const needed of ['filled', 'exhausted']) {
        if (!events.includes(needed)) this.report([...at, 'on'], `a collect state must handle "${needed}"`);
      }
    }
    if (hasLookup(state) && !events.includes('done'))
      this.report([...at, 'on'], 'a look-up state must handle "done"');
    // A state that waits for an outside event (a device's answer) has nobody to ask.
    const awaitsOutside = events.some((event) => EXTERNAL_EVENT.test(event));
    const waits = !state.always && !hasLookup(state) && !awaitsOutside;
    if (waits && !state.collect && !state.prompt && !state.consent) {
      this.report(at, 'this state waits for the customer but asks nothing: add prompt or collect, or always');
    }
  }

  private edges(state: StateSpec): string[] {
    const transitions = [
      ...Object.values(state.on ?? {}).flatMap(transitionList),
      ...transitionList(state.always),
    ];
    return transitions.flatMap((transition) => (transition.target ? [transition.target] : []));
  }

  private checkGraph(): void {
    const { states, initial } = this.spec;
    const reached = walk([initial], (name) => (states[name] ? this.edges(states[name]) : []));
    const incoming = new Map<string, string[]>();
    for (const [name, state] of Object.entries(states)) {
      for (const target of this.edges(state)) incoming.set(target, [...(incoming.get(target) ?? []), name]);
    }
    const finals = Object.keys(states).filter((name) => states[name].type === 'final');
    const canFinish = walk(finals, (name) => incoming.get(name) ?? []);
    for (const [name, state] of Object.entries(states)) {
      if (!reached.has(name))
        this.report(['states', name], `unreachable from the initial state "${initial}"`);
      else if (!canFinish.has(name)) {
        const why =
          this.edges(state).length === 0 && state.type !== 'final'
            ? 'no way out'
            : 'no path to a final state';
        this.report(['states', name], `dead end: ${why}`);
      }
    }
  }
}

function walk(start: string[], next: (name: string) => string[]): Set<string> {
  const seen = new Set<string>(start);
  const queue = [...start];
  while (queue.length > 0) {
    for (const target of next(queue.shift() as string)) {
      if (!seen.has(target)) {
        seen.add(target);
        queue.push(target);
      }
    }
  }
  return seen;
}

/** Static checks over a bot's flows: names, targets, reachability, dead ends, clashing triggers. */
export function checkFlows(flows: SourceFlow[], options: CheckOptions): FlowIssue[] {
  const issues: FlowIssue[] = [];
  const owners = new Map<string, string>();
  const ids = new Map<string, string>();
  for (const flow of flows) {
    const report: Report = (path, message) => issues.push(flow.issue(path, message));
    new FlowChecker(flow.spec, options, report).run();
    if (ids.has(flow.spec.id))
      report(['id'], `flow id "${flow.spec.id}" is also used by ${ids.get(flow.spec.id)}`);
    ids.set(flow.spec.id, flow.file);
    flow.spec.triggers.forEach((intent, index) => {
      const owner = owners.get(intent);
      if (owner) report(['triggers', index], `intent "${intent}" already starts flow "${owner}"`);
      owners.set(intent, flow.spec.id);
    });
    flow.spec.events.forEach((event, index) => {
      const owner = owners.get(event);
      if (owner) report(['events', index], `event "${event}" already starts flow "${owner}"`);
      owners.set(event, flow.spec.id);
    });
  }
  return issues;
}
