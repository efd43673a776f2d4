import type { Case } from '../core/case';
import type { CaseStore, IdentityStore } from '../core/ports';
import { CONSENT_PURPOSES, type ConsentLedger } from '../core/privacy';
import type { MessageCatalogue } from '../core/messages';
import type { DeskConfig } from './desk-config';
import type { CustomerPanel } from './desk.views';
import { customerName, humanise, shortAddress } from './case-view';

export interface CustomerPanelDeps {
  identities: Pick<IdentityStore, 'addresses' | 'scope'>;
  cases: Pick<CaseStore, 'listByCustomer'>;
  consent: Pick<ConsentLedger, 'history'>;
  messages: MessageCatalogue;
  locale: string;
  config: DeskConfig;
}

type Outcome = CustomerPanel['previousCases'][number]['outcome']['code'];

function outcomeOf(item: Case): Outcome {
  if (item.erasedAt) return 'erased';
  if (item.status === 'resolved') return 'handed_back';
  if (item.status === 'closed') return 'closed';
  return 'open';
}

/**
 * What the desk shows beside a case about its customer: every channel linked to them (identity store), their
 * other cases with how each ended, and their consent per purpose (the consent ledger's latest answer).
 */
export async function customerPanel(item: Case, deps: CustomerPanelDeps): Promise<CustomerPanel> {
  const { messages, locale } = deps;
  const label = (key: string) => messages.text(locale, key);
  const [addresses, scope, history] = await Promise.all([
    deps.identities.addresses(item.customerId),
    deps.identities.scope(item.customerId),
    deps.consent.history(item.customerId),
  ]);
  // An erased or expired customer has no scope left: their cases are still found by this case's ids.
  const others = await deps.cases.listByCustomer({
    ...scope,
    customerId: item.customerId,
    conversationIds: [...new Set([...scope.conversationIds, item.conversationId])],
  });
  const queueLabel = (id: string) => deps.config.queues.find((q) => q.id === id)?.label ?? id;
  const name = customerName(item.package.summary.slots);
  return {
    customerId: item.customerId,
    ...(name ? { name } : {}),
    channels: addresses.map((a) => ({ ...a, display: shortAddress(a.channel, a.userId) })),
    previousCases: others
      .filter((c) => c.id !== item.id)
      .sort((a, b) => b.createdAt - a.createdAt)
      .map((c) => ({
        id: c.id,
        status: c.status,
        queue: { code: c.queue, label: queueLabel(c.queue) },
        reason: { code: c.package.reason, label: label(`desk.reason.${c.package.reason}`) },
        outcome: { code: outcomeOf(c), label: label(`desk.outcome.${outcomeOf(c)}`) },
        createdAt: c.createdAt,
        updatedAt: c.updatedAt,
      })),
    consent: CONSENT_PURPOSES.map((purpose) => {
      const latest = history.filter((r) => r.purpose === purpose).at(-1);
      const state = latest ? (latest.granted ? 'granted' : 'refused') : 'not_asked';
      return {
        purpose,
        label: `${humanise(purpose)}: ${label(`desk.consent.${state}`)}`,
        state,
        ...(latest ? { at: latest.at } : {}),
      };
    }),
  };
}
