import type { AnalyticsStore } from '../core/analytics';
import type { JsonValue } from '../core/json';
import type { CustomerData } from '../core/ports';

/**
 * The analytics store's part in subject access and erasure, as JSON: every event with the customer's id or
 * one of their conversations, and the unanswered questions asked in them (`{ unansweredQuestion }`).
 * Erasure deletes them all, expired or not yet swept; anonymised events (see `consentAwareRecorder`)
 * name no customer and are not theirs to find.
 */
export function analyticsData(store: Pick<AnalyticsStore, 'listByCustomer' | 'eraseByCustomer'>) {
  return {
    async listByCustomer(scope) {
      return JSON.parse(JSON.stringify(await store.listByCustomer(scope))) as JsonValue[];
    },
    eraseByCustomer: (scope) => store.eraseByCustomer(scope),
  } satisfies CustomerData<JsonValue>;
}
