import type { EscalationReason, HandoffSummary } from '../core/case';
import type { DialogEngine, DialogInput, DialogOutcome, DialogTurnInfo } from '../core/dialog';
import { copyAsJson, type JsonValue } from '../core/json';
import type { Button, Reply } from '../core/message';
import { OUT_OF_SCOPE, type Entity } from '../core/nlu';
import { isBuiltinSkill } from '../core/skills';
import type { CompiledFlow } from './compile';
import { EffectError } from './errors';
import { addLog, FlowRunner, type FrameOutcome, type StepScope } from './flow-runner';
import { menuFlows, menuReply } from './menu';
import { answerSkill, type SkillHost } from './skills';
import { answerHypothesis, offerHypothesis, type PersonaliseHost } from './personalise';
import {
  afterCorrection,
  answerRepair,
  askClarification,
  closeCall,
  confirmBeforeReuse,
  correctSlots,
  isEmptyMessage,
  isBareAnswer,
  isOffTopicQuestion,
  isRepairPending,
  retrySlot,
  type RepairHost,
} from './repair';
import { readState, toJson, type DialogState, type Frame } from './state';
import { labelIn } from './localized';
import { renderTemplate } from './template';
import type { DialogImplementations, EngineTexts, ValidatorImplementation } from './types';
import { BUILTIN_VALIDATORS } from './validators';
import { normalise, type EngineSettings } from './engine-settings';
import { maskedSlotsOf, maskStep } from './slot-masking';
import { answerConsent, checkConsent, consentAwaited, sayConsentDeclined, type ConsentHost } from './consent';

export { engineSettings, type EngineSettings } from './engine-settings';

type UserInput = Extract<DialogInput, { type: 'user' }>;
type EventInput = Extract<DialogInput, { type: 'event' }>;

/**
 * The flow-stack dialog engine: global behaviour (start over, a person, hand-back) first, then the current
 * flow, then flows started by intent, then the built-in skills (help, greet, cancel, repeat, ...) and the
 * fallback. Each step works on a copy of the state, so a failed effect leaves the persisted state exactly
 * as it was.
 */
export class FlowDialogEngine implements DialogEngine {
  private readonly runner: FlowRunner;
  private readonly byTrigger = new Map<string, CompiledFlow>();
  private readonly byEvent = new Map<string, CompiledFlow>();
  private readonly skillHost: SkillHost;
  private readonly repair: RepairHost;
  private readonly personalise: PersonaliseHost;
  private readonly masks: ReturnType<typeof maskedSlotsOf>;
  private readonly consent: ConsentHost;
  /** The built-in validators with the bot's own on top, merged once. */
  private readonly validators: Record<string, ValidatorImplementation>;

  constructor(
    readonly flows: ReadonlyMap<string, CompiledFlow>,
    private readonly implementations: DialogImplementations,
    private readonly settings: EngineSettings,
  ) {
    this.runner = new FlowRunner(
      implementations,
      settings.defaultLocale,
      settings.messages,
      settings.observe,
    );
    for (const flow of flows.values())
      for (const intent of flow.spec.triggers) this.byTrigger.set(intent, flow);
    for (const flow of flows.values()) for (const event of flow.spec.events) this.byEvent.set(event, flow);
    this.masks = maskedSlotsOf(flows.values());
    this.validators = { ...BUILTIN_VALIDATORS, ...implementations.validators };
    this.skillHost = {
      flows,
      texts: (scope) => this.texts(scope),
      sayMenu: (scope, template) => this.sayMenu(scope, template),
      resumeTop: (scope) => this.resumeTop(scope),
    };
    this.repair = this.repairHost();
    this.runner.confirmReuse = (scope, flow, frame, slot) =>
      confirmBeforeReuse(this.repair, scope, flow, frame, slot);
    this.consent = {
      ...(implementations.consentLedger ? { ledger: implementations.consentLedger } : {}),
      ...(settings.messages ? { messages: settings.messages } : {}),
      texts: (scope) => this.texts(scope),
      yesNo: (scope) => this.yesNo(scope),
    };
    this.runner.consent = {
      check: (scope, purpose) => checkConsent(this.consent, scope, purpose),
      declined: (scope, purpose) => sayConsentDeclined(this.consent, scope, purpose),
    };
    this.personalise = {
      flows,
      implementations,
      runner: this.runner,
      logger: settings.logger,
      yesNo: (scope) => this.yesNo(scope),
      sayMenu: (scope, template) => this.sayMenu(scope, template),
      texts: (scope) => this.texts(scope),
      unwind: (scope, outcome) => this.unwind(scope, outcome),
    };
  }

  private repairHost(): RepairHost {
    const { settings, validators } = this;
    return {
      runner: this.runner,
      defaultLocale: settings.defaultLocale,
      clarifyMargin: settings.clarifyMargin,
      clarifyFloor: settings.clarifyFloor,
      confidenceThreshold: settings.confidenceThreshold,
      texts: (scope) => this.texts(scope),
      top: (scope) => this.top(scope),
      flowFor: (intent) => this.byTrigger.get(intent),
      validator: (flow, slot) => {
        const def = flow.spec.slots[slot];
        return def ? validators[def.validate ?? def.entity ?? slot] : undefined;
      },
      title: (flow, locale) => this.title(flow, locale),
      yesNo: (scope) => this.yesNo(scope),
      unwind: (scope, outcome) => this.unwind(scope, outcome),
      resumeTop: (scope) => this.resumeTop(scope),
      startFlow: (scope, flow, input) => this.startFlow(scope, flow, input),
    };
  }

  async step(
    persisted: JsonValue | undefined,
    input: DialogInput,
    turn: DialogTurnInfo,
  ): Promise<DialogOutcome> {
    // readState hands back a working copy: the persisted value itself stays as it was.
    const { state, reset } = readState(persisted);
    const scope: StepScope = { turn, state, replies: [], events: [] };
    if (reset) scope.events.push({ event: 'dialog.state_reset' });
    // Slot values before the step (the engine replaces values, never edits them): masking sees what is new.
    const slotsBefore = this.masks.size > 0 ? { ...state.slots } : {};
    try {
      await this.dispatch(scope, input);
    } catch (error) {
      if (!(error instanceof EffectError)) throw error;
      this.settings.logger?.warn(
        { stage: 'decide', flow: error.flow, state: error.state, err: error },
        error.message,
      );
      const cause = error.cause instanceof Error ? error.cause.message : String(error.cause);
      return {
        // A failed effect leaves the persisted state exactly as it was.
        state: toJson(readState(persisted).state),
        replies: [{ text: this.texts(scope).apology, from: 'bot' }],
        events: [
          {
            event: 'effect.failed',
            data: { effect: error.effect, flow: error.flow, state: error.state, error: cause },
          },
        ],
      };
    }
    keepForRepeat(scope.state, scope.replies);
    const entities = input.type === 'user' ? input.nlu.entities : [];
    const masked = maskStep(scope, slotsBefore, entities, this.masks);
    const outcome: DialogOutcome = {
      state: toJson(scope.state),
      replies: scope.replies,
      events: scope.events,
      ...(masked.length > 0 ? { masked } : {}),
    };
    if (scope.escalation) {
      // The case takes over: nothing the bot was asking is still pending, but slots and log stay for summaries.
      scope.state.stack = [];
      scope.state.pending = undefined;
      outcome.state = toJson(scope.state);
      outcome.escalation = scope.escalation;
    }
    return outcome;
  }

  summarize(persisted: JsonValue | undefined): HandoffSummary {
    const { state } = readState(persisted);
    const summary: HandoffSummary = { slots: { ...state.slots }, tried: [...state.log] };
    if (state.lastIntent) summary.lastIntent = state.lastIntent;
    return summary;
  }

  private async dispatch(scope: StepScope, input: DialogInput): Promise<void> {
    if (input.type === 'launch') {
      if (await offerHypothesis(this.personalise, scope)) return undefined;
      this.sayMenu(scope, this.texts(scope).launch);
      return this.resumeTop(scope);
    }
    if (input.type === 'resume') return this.resumeTop(scope);
    if (input.type === 'handback') {
      const texts = this.texts(scope);
      scope.state.stack = [];
      scope.state.misunderstood = 0;
      scope.state.pending = { kind: 'satisfaction', caseId: input.caseId };
      const text = input.agentName
        ? renderTemplate(texts.handbackAgent, { agent: input.agentName })
        : texts.handback;
      scope.replies.push({ text, from: 'bot', buttons: this.yesNo(scope) });
      scope.events.push({ event: 'handback', data: { caseId: input.caseId } });
      return undefined;
    }
    if (input.type === 'event') return this.handleEvent(scope, input);
    return this.handleUser(scope, input);
  }

  /**
   * An outside event: the flow on top takes it when one of its transitions accepts it (guards see the
   * event's data, templates `results.latest`); else a flow that starts on it begins, with the data as
   * `results.event`. Nobody waiting
   * and no flow for it: nothing happens, and nothing is said.
   */
  private async handleEvent(scope: StepScope, input: EventInput): Promise<void> {
    const event = { type: input.name, data: input.data };
    const top = this.top(scope);
    if (top && this.runner.restore(top.flow, top.frame, scope).can(event)) {
      // `results.event` stays the event that started the flow; the one that woke it is `results.latest`.
      top.frame.results = { ...top.frame.results, latest: input.data };
      scope.events.push({ event: 'event.received', data: { flow: top.flow.spec.id, name: input.name } });
      return this.unwind(scope, await this.runner.send(scope, top.flow, top.frame, event));
    }
    const flow = this.byEvent.get(input.name);
    if (!flow || top?.flow.spec.id === flow.spec.id) return;
    if (scope.state.stack.length >= this.settings.maxStackDepth) scope.state.stack.shift();
    scope.events.push({ event: 'flow.started', data: { flow: flow.spec.id, event: input.name } });
    await this.unwind(scope, await this.runner.start(scope, flow, { event: input.data }));
  }

  private async handleUser(scope: StepScope, input: UserInput): Promise<void> {
    const { nlu } = input;
    // An empty message is no answer and no misunderstanding: nothing changes (see `repair.empty`).
    if (isEmptyMessage(input.text)) return this.emptyMessage(scope);
    const intent = nlu.intent.name;
    const understood = intent !== OUT_OF_SCOPE && nlu.intent.confidence >= this.settings.confidenceThreshold;
    if (understood) scope.state.lastIntent = intent;
    if (scope.state.pending && (await this.answerPending(scope, input, understood ? intent : undefined)))
      return;
    if (this.settings.restartPhrases.includes(normalise(input.text))) return this.restart(scope);
    if (understood && intent === 'human_agent') {
      addLog(scope.state, 'Customer asked for a person');
      return this.escalate(scope, 'customer_request');
    }
    if (understood && (await this.answerFromKnowledge(scope, input, nlu.intent))) return;
    const top = this.top(scope);
    const trigger = understood ? this.byTrigger.get(intent) : undefined;
    const interruptible = !top || top.flow.spec.repair.digressions;
    const digression = trigger && trigger.spec.id !== top?.frame.flow && interruptible ? trigger : undefined;
    const unclear = interruptible ? closeCall(this.repair, scope, nlu) : undefined;
    // A new topic wins over the pending question, unless the message is little more than the answer.
    const newTopic = digression ?? unclear;
    if (
      (!newTopic || isBareAnswer(this.repair, scope, input)) &&
      (await this.continueTop(scope, input, understood))
    )
      return;
    if (unclear) return askClarification(this.repair, scope, unclear, input);
    if (understood && intent === 'greet' && !top && (await offerHypothesis(this.personalise, scope))) return;
    if (digression) return this.startFlow(scope, digression, input);
    // No flow of the bot's took the intent: the framework's own skill answers (help, greet, cancel, ...).
    if (understood && isBuiltinSkill(intent) && (await answerSkill(intent, scope, this.skillHost))) {
      scope.state.misunderstood = 0;
      return;
    }
    if (await this.answerFromKnowledge(scope, input)) return;
    // A question the bot cannot place, asked at a slot question, is not a bad value for the slot.
    if (!understood && isOffTopicQuestion(this.repair, scope, input)) return this.fallback(scope, input);
    if (await retrySlot(this.repair, scope)) return;
    return this.fallback(scope, input);
  }

  /** Nothing happens for an empty message; a flow with `repair.empty: nudge` asks its question again. */
  private async emptyMessage(scope: StepScope): Promise<void> {
    scope.events.push({ event: 'message.empty' });
    if (this.top(scope)?.flow.spec.repair.empty === 'nudge') await this.resumeTop(scope);
  }

  /**
   * Lets the current flow take the message: a correction of a slot it holds, a slot it is collecting, a
   * value it accepts outside its question (`corrected`), or an intent its state handles.
   */
  private async continueTop(scope: StepScope, input: UserInput, understood: boolean): Promise<boolean> {
    const { nlu } = input;
    const top = this.top(scope);
    if (!top) return false;
    const purpose = consentAwaited(top.flow, top.frame);
    if (purpose) {
      // Only a yes or a no answers; anything else is handled as usual and the question comes back.
      const intent = understood ? nlu.intent.name : undefined;
      if (intent !== 'affirm' && intent !== 'deny') return false;
      scope.state.misunderstood = 0;
      const event = await answerConsent(this.consent, scope, purpose, intent === 'affirm');
      await this.unwind(scope, await this.runner.send(scope, top.flow, top.frame, event));
      return true;
    }
    const collecting = this.runner.collecting(top.flow, top.frame);
    const corrected = correctSlots(this.repair, scope, top, input);
    const filled = this.fillSlots(scope, top.flow, nlu.entities, collecting);
    const restored = this.runner.restore(top.flow, top.frame, scope);
    let outcome: FrameOutcome | undefined;
    if (collecting && filled.includes(collecting)) {
      outcome = await this.runner.send(scope, top.flow, top.frame, {
        type: 'filled',
        data: scope.state.slots[collecting],
      });
    } else if (corrected.length > 0 || (filled.length > 0 && restored.can({ type: 'corrected' }))) {
      scope.state.misunderstood = 0;
      await afterCorrection(this.repair, scope, top);
      return true;
    } else if (understood && restored.can({ type: nlu.intent.name })) {
      outcome = await this.runner.send(scope, top.flow, top.frame, { type: nlu.intent.name });
    }
    if (!outcome) return false;
    scope.state.misunderstood = 0;
    await this.unwind(scope, outcome);
    return true;
  }

  private async startFlow(scope: StepScope, flow: CompiledFlow, input: UserInput): Promise<void> {
    const { stack } = scope.state;
    scope.state.misunderstood = 0;
    const index = stack.findIndex((frame) => frame.flow === flow.spec.id);
    if (index >= 0) {
      // Asked again for something already under way: go back to it rather than start it twice.
      stack.splice(index + 1);
      this.fillSlots(scope, flow, input.nlu.entities, 'all');
      scope.events.push({ event: 'flow.resumed', data: { flow: flow.spec.id, state: stack[index].state } });
      return this.resumeTop(scope);
    }
    if (stack.length >= this.settings.maxStackDepth) stack.shift();
    const interrupted = stack.at(-1)?.flow;
    scope.events.push({
      event: 'flow.started',
      data: { flow: flow.spec.id, intent: input.nlu.intent.name, ...(interrupted ? { interrupted } : {}) },
    });
    addLog(
      scope.state,
      `Customer asked about ${this.title(flow, this.settings.defaultLocale) || flow.spec.id}: "${input.text}"`,
    );
    this.fillSlots(scope, flow, input.nlu.entities, 'all');
    await this.unwind(scope, await this.runner.start(scope, flow));
  }

  /** Pops finished flows and resumes the one below, re-asking its question. */
  private async unwind(scope: StepScope, first: FrameOutcome): Promise<void> {
    let outcome = first;
    while (outcome === 'completed') {
      const done = scope.state.stack.pop();
      if (!done) return;
      const flow = this.flows.get(done.flow);
      scope.events.push({ event: 'flow.completed', data: { flow: done.flow } });
      if (flow?.spec.clearStack) scope.state.stack = [];
      const top = this.top(scope);
      if (!top || scope.escalation) return;
      scope.events.push({ event: 'flow.resumed', data: { flow: top.frame.flow, state: top.frame.state } });
      outcome = await this.runner.resume(scope, top.flow, top.frame);
    }
  }

  private async resumeTop(scope: StepScope): Promise<void> {
    const top = this.top(scope);
    if (top) await this.unwind(scope, await this.runner.resume(scope, top.flow, top.frame));
  }

  /**
   * Fills the flow's slots from the message's entities; returns the slots that changed. Only `overwrite`
   * may replace a known value: "morning" at a time question must not also move the chosen date.
   */
  private fillSlots(
    scope: StepScope,
    flow: CompiledFlow,
    entities: Entity[],
    overwrite: 'all' | string | undefined,
  ): string[] {
    const filled: string[] = [];
    if (entities.length === 0) return filled;
    const { validators } = this;
    for (const [slot, def] of Object.entries(flow.spec.slots)) {
      if (scope.state.slots[slot] !== undefined && overwrite !== 'all' && overwrite !== slot) continue;
      const entityName = def.entity ?? slot;
      const validator = validators[def.validate ?? entityName];
      const context = { now: scope.turn.now, slots: scope.state.slots };
      const entity = entities.find(
        (item) => item.entity === entityName && (!validator || validator(item.value, context)),
      );
      if (!entity) continue;
      scope.state.slots = { ...scope.state.slots, [slot]: entity.value };
      scope.events.push({ event: 'slot.filled', data: { flow: flow.spec.id, slot, value: entity.value } });
      filled.push(slot);
      (scope.freshSlots ??= []).push(slot);
    }
    return filled;
  }

  private async answerPending(
    scope: StepScope,
    input: UserInput,
    understood: string | undefined,
  ): Promise<boolean> {
    const pending = scope.state.pending;
    scope.state.pending = undefined;
    if (isRepairPending(pending)) return answerRepair(this.repair, scope, pending, input, understood);
    if (pending?.kind === 'hypothesis') return answerHypothesis(this.personalise, scope, pending, understood);
    const intent = understood ?? OUT_OF_SCOPE;
    if (!pending || (intent !== 'affirm' && intent !== 'deny')) return false;
    const yes = intent === 'affirm';
    const texts = this.texts(scope);
    if (pending.kind === 'satisfaction') {
      scope.events.push({ event: 'satisfaction', data: { satisfied: yes, caseId: pending.caseId } });
      scope.replies.push({ text: yes ? texts.satisfied : texts.unsatisfied, from: 'bot' });
      return true;
    }
    if (yes) {
      this.escalate(scope, 'repeated_misunderstanding');
      return true;
    }
    scope.state.misunderstood = 0;
    scope.replies.push({ text: texts.declinedHuman, from: 'bot' });
    await this.resumeTop(scope);
    return true;
  }

  /** A help-centre section answers what no flow or skill took; the flow in progress carries on after it. */
  private async answerFromKnowledge(
    scope: StepScope,
    input: UserInput,
    rival?: { name: string; confidence: number },
  ): Promise<boolean> {
    if (!this.settings.knowledge) return false;
    const top = this.top(scope);
    const collecting = top ? this.runner.collecting(top.flow, top.frame) !== undefined : false;
    const answer = await this.settings.knowledge?.answer({
      text: input.text,
      locale: scope.turn.locale,
      ...(collecting ? { onlyQuestions: true } : {}),
      ...(rival ? { rival: { intent: rival.name, confidence: rival.confidence } } : {}),
    });
    if (!answer) return false;
    scope.state.misunderstood = 0;
    const [first] = answer.sources;
    scope.replies.push({
      text: answer.text,
      from: 'bot',
      cards: answer.sources.map((source) => ({
        title: source.title,
        ...(source.url ? { url: source.url } : {}),
      })),
    });
    scope.events.push({
      event: 'knowledge.answered',
      data: { sources: answer.sources.map((s) => s.id), kind: answer.kind, score: answer.score },
    });
    addLog(scope.state, `Answered from the help centre (${first.title}): "${input.text}"`);
    await this.resumeTop(scope);
    return true;
  }

  private async fallback(scope: StepScope, input: UserInput): Promise<void> {
    const { state } = scope;
    state.misunderstood += 1;
    const { name, confidence } = input.nlu.intent;
    scope.events.push({ event: 'fallback', data: { intent: name, confidence, count: state.misunderstood } });
    addLog(state, `Did not understand: "${input.text}"`);
    if (state.misunderstood >= this.settings.maxMisunderstandings) {
      state.pending = { kind: 'offer_human' };
      scope.replies.push({ text: this.texts(scope).offerHuman, from: 'bot', buttons: this.yesNo(scope) });
      scope.events.push({ event: 'human.offered', data: { reason: 'repeated_misunderstanding' } });
      return;
    }
    this.sayMenu(scope, this.texts(scope).fallback);
    await this.resumeTop(scope);
  }

  private restart(scope: StepScope): void {
    const { state } = scope;
    Object.assign(state, { stack: [], slots: {}, misunderstood: 0, pending: undefined });
    scope.events.push({ event: 'dialog.restarted' });
    this.sayMenu(scope, this.texts(scope).restart);
  }

  private escalate(scope: StepScope, reason: EscalationReason): void {
    // Empty by default: the pipeline announces the handoff when it opens the case.
    const { toHuman } = this.texts(scope);
    if (toHuman) scope.replies.push({ text: toHuman, from: 'bot' });
    scope.escalation = { reason };
  }

  private top(scope: StepScope): { frame: Frame; flow: CompiledFlow } | undefined {
    const frame = scope.state.stack.at(-1);
    const flow = frame && this.flows.get(frame.flow);
    if (frame && flow && frame.state in flow.spec.states) return { frame, flow };
    // A frame from a flow that no longer exists (or changed) after a deploy is dropped.
    if (frame) scope.state.stack.pop();
    return frame ? this.top(scope) : undefined;
  }

  private sayMenu(scope: StepScope, template: string): void {
    const { locale } = scope.turn;
    const flows = menuFlows(this.flows, this.settings.menu);
    scope.replies.push(menuReply(flows, template, locale, (flow) => this.title(flow, locale)));
  }

  private title(flow: CompiledFlow, locale: string): string {
    return flow.spec.title === undefined ? '' : labelIn(flow.spec.title, locale, this.settings.defaultLocale);
  }

  private texts(scope: StepScope): EngineTexts {
    return this.settings.texts(scope.turn.locale);
  }

  private yesNo(scope: StepScope): Button[] {
    const texts = this.texts(scope);
    return [
      { title: texts.yes, payload: '/affirm' },
      { title: texts.no, payload: '/deny' },
    ];
  }
}

/** Remembers what the bot just said, for "say that again"; a silent turn keeps the previous words. */
function keepForRepeat(state: DialogState, replies: Reply[]): void {
  const own = replies.filter((reply) => reply.from === 'bot');
  if (own.length > 0) state.lastReplies = copyAsJson(own) as DialogState['lastReplies'];
}
