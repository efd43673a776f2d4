import type { CustomerActivity } from '../core/customer-context';
import type { JsonObject } from '../core/json';
import type { Button } from '../core/message';
import type { Logger } from '../core/ports';
import { currentConsent } from '../core/privacy';
import type { CompiledFlow } from './compile';
import type { FlowRunner, FrameOutcome, StepScope } from './flow-runner';
import type { PendingQuestion } from './state';
import type { DialogImplementations, EngineTexts } from './types';

/**
 * Context-first personalisation ("immediate, not intimate"): a conversation can open with a hypothesis
 * from what the customer is doing now ("I can see an engineer visit booked for tomorrow — is that what
 * you're getting in touch about?"). Only for a customer the bot's records have verified, only with their
 * consent to `personalisation`, only about activities they started themselves, and only with the facts of
 * that activity (a flow's hypothesis can name nothing but `{activity.…}`, which `flow-checks.ts` enforces).
 */

export interface PersonaliseHost {
  readonly flows: ReadonlyMap<string, CompiledFlow>;
  readonly implementations: DialogImplementations;
  readonly runner: FlowRunner;
  readonly logger?: Logger;
  texts(scope: StepScope): EngineTexts;
  yesNo(scope: StepScope): Button[];
  sayMenu(scope: StepScope, template: string): void;
  unwind(scope: StepScope, outcome: FrameOutcome): Promise<void>;
}

type Skipped = 'no_consent' | 'unverified' | 'nothing_current' | 'lookup_failed';

/** The first of the customer's own current activities that a flow can open with. */
async function hypothesis(
  host: PersonaliseHost,
  scope: StepScope,
  flows: CompiledFlow[],
): Promise<{ flow: CompiledFlow; activity: CustomerActivity } | Skipped> {
  const { customerContext, consentLedger } = host.implementations;
  const { turn } = scope;
  // Consent first: without it the customer's records are not even read.
  const answer = consentLedger && (await currentConsent(consentLedger, turn.customerId, 'personalisation'));
  if (answer?.granted !== true) return 'no_consent';
  let situation;
  try {
    situation = await customerContext?.situation({
      customerId: turn.customerId,
      channel: turn.channel,
      ...(turn.channelUserId ? { channelUserId: turn.channelUserId } : {}),
      now: turn.now,
    });
  } catch (error) {
    host.logger?.warn({ stage: 'decide', err: error }, 'customer context look-up failed');
    return 'lookup_failed';
  }
  if (situation?.verified !== true) return 'unverified';
  for (const activity of situation.activities) {
    if (activity.startedBy !== 'customer') continue;
    const flow = flows.find((candidate) => candidate.spec.personalise?.activity === activity.kind);
    if (flow) return { flow, activity };
  }
  return 'nothing_current';
}

/**
 * At the conversation's opening (launch, or a greeting with nothing under way), once per conversation:
 * asks the hypothesis of the first flow that fits. True when it asked; the caller greets as usual otherwise.
 */
export async function offerHypothesis(host: PersonaliseHost, scope: StepScope): Promise<boolean> {
  const flows = [...host.flows.values()].filter((flow) => flow.spec.personalise);
  if (flows.length === 0 || !host.implementations.customerContext || scope.state.stack.length > 0)
    return false;
  if (scope.state.hypothesisOffered) return false;
  scope.state.hypothesisOffered = true;
  const found = await hypothesis(host, scope, flows);
  if (typeof found === 'string') {
    scope.events.push({ event: 'personalisation.skipped', data: { reason: found } });
    return false;
  }
  const { flow, activity } = found;
  const facts: JsonObject = { ...activity.facts };
  const ask = flow.spec.personalise?.hypothesis;
  if (!ask) return false;
  host.runner.say(scope, ask, { activity: facts });
  const reply = scope.replies.at(-1);
  if (reply && !reply.buttons) reply.buttons = host.yesNo(scope);
  scope.state.pending = { kind: 'hypothesis', flow: flow.spec.id, activity: facts };
  scope.events.push({
    event: 'personalisation.offered',
    data: { flow: flow.spec.id, activity: activity.kind },
  });
  return true;
}

/** Yes starts the flow with the activity as `{activity.…}`; no asks what else; anything else is handled as usual. */
export async function answerHypothesis(
  host: PersonaliseHost,
  scope: StepScope,
  pending: Extract<PendingQuestion, { kind: 'hypothesis' }>,
  understood: string | undefined,
): Promise<boolean> {
  const flow = host.flows.get(pending.flow);
  if (!flow || (understood !== 'affirm' && understood !== 'deny')) return false;
  const confirmed = understood === 'affirm';
  scope.events.push({ event: 'personalisation.answered', data: { flow: pending.flow, confirmed } });
  if (!confirmed) {
    host.sayMenu(scope, host.texts(scope).hypothesisDeclined);
    return true;
  }
  scope.state.misunderstood = 0;
  scope.events.push({ event: 'flow.started', data: { flow: flow.spec.id, personalised: true } });
  await host.unwind(scope, await host.runner.start(scope, flow, { activity: pending.activity }));
  return true;
}
