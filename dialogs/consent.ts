import type { Button } from '../core/message';
import type { MessageCatalogue } from '../core/messages';
import { currentConsent, type ConsentLedger, type ConsentPurpose } from '../core/privacy';
import type { CompiledFlow, FlowEvent } from './compile';
import type { StepScope } from './flow-runner';
import type { Frame } from './state';
import { renderTemplate } from './template';
import type { EngineTexts } from './types';

/**
 * Consent asked where a flow needs it: a state with `consent: <purpose>` goes on only once the customer
 * has answered for that purpose. An answer on record moves the flow at once (`granted` or `refused`); with
 * none the bot asks, yes or no, and records the answer with time, channel, locale and wording version, so a
 * customer is never asked twice for what they already answered (and can still withdraw in conversation).
 */

/** The version of `engine.consentAsk`'s wording: recorded with each answer given to it. */
export const CONSENT_ASK_WORDING = 'flow-ask.v1';

export interface ConsentHost {
  /** Without a ledger nothing is on record and nothing can be: the customer is asked every time. */
  readonly ledger?: Pick<ConsentLedger, 'history' | 'record'>;
  readonly messages?: MessageCatalogue;
  texts(scope: StepScope): EngineTexts;
  yesNo(scope: StepScope): Button[];
}

/** The purpose the frame is waiting on an answer for, if it waits at a `consent` state. */
export function consentAwaited(flow: CompiledFlow, frame: Frame): ConsentPurpose | undefined {
  return flow.spec.states[frame.state]?.consent;
}

/** The event for an answer on record, or undefined after asking for one. */
export async function checkConsent(
  host: ConsentHost,
  scope: StepScope,
  purpose: ConsentPurpose,
): Promise<FlowEvent | undefined> {
  const current = host.ledger ? await currentConsent(host.ledger, scope.turn.customerId, purpose) : undefined;
  if (current) return { type: current.granted ? 'granted' : 'refused' };
  const text = renderTemplate(host.texts(scope).consentAsk, { purpose: purposeName(host, scope, purpose) });
  scope.replies.push({ text, from: 'bot', buttons: host.yesNo(scope) });
  scope.events.push({ event: 'consent.asked', data: { purpose } });
  return undefined;
}

/** Records the customer's yes or no as given in this turn; the flow's event for it. */
export async function answerConsent(
  host: ConsentHost,
  scope: StepScope,
  purpose: ConsentPurpose,
  granted: boolean,
): Promise<FlowEvent> {
  const { customerId, channel, locale, now } = scope.turn;
  await host.ledger?.record({
    customerId,
    purpose,
    granted,
    at: now,
    channel,
    locale,
    wordingVersion: CONSENT_ASK_WORDING,
    source: 'conversation',
  });
  scope.events.push({ event: 'consent.answered', data: { purpose, granted } });
  return { type: granted ? 'granted' : 'refused' };
}

/** A no, where the flow declared no way on without the consent: said before the flow ends. */
export function sayConsentDeclined(host: ConsentHost, scope: StepScope, purpose: ConsentPurpose): void {
  const text = renderTemplate(host.texts(scope).consentDeclined, {
    purpose: purposeName(host, scope, purpose),
  });
  scope.replies.push({ text, from: 'bot' });
}

/** The purpose in the customer's words (`privacy.purpose.*`), or its name when the catalogue lacks it. */
function purposeName(host: ConsentHost, scope: StepScope, purpose: ConsentPurpose): string {
  const key = `privacy.purpose.${purpose}`;
  return host.messages?.template(scope.turn.locale, key) ?? purpose.replace(/_/g, ' ');
}
