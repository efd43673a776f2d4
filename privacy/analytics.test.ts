import type { AnalyticsEvent } from '../core/analytics';
import { createMemoryAnalytics } from '../stores/memory-analytics';
import { createMemoryStores } from '../stores/memory';
import { seedCustomer } from '../test/support/privacy-seed';
import { analyticsExport } from './analytics';
import { customerRefFor } from './customer-ref';
import { createPrivacyService } from './privacy-service';

it("exports the customer's analytics events and unanswered questions, and the erasure report names them as not erased", async () => {
  const clock = { now: () => 1_000_000 };
  const stores = createMemoryStores({ retentionMs: 60_000, clock });
  const seeded = await seedCustomer(stores, 1);
  const analytics = createMemoryAnalytics({ retentionMs: 60_000, questionRetentionMs: 60_000 }, clock);
  const event = (customerId: string, conversationId: string) =>
    ({
      type: 'turn.completed',
      at: 999_000,
      customerId,
      conversationId,
      channel: 'sms',
      locale: 'en',
      intent: 'greet',
    }) as AnalyticsEvent;
  await analytics.record([
    event(seeded.customerId, seeded.conversations[0]!),
    event('someone-else', 'other-conv'),
  ]);
  await analytics.recordQuestion({
    at: 999_000,
    conversationId: seeded.conversations[0]!,
    channel: 'sms',
    locale: 'en',
    kind: 'fallback',
    intent: 'out_of_scope',
    text: 'can you fix my bike',
  });
  const privacy = createPrivacyService({
    stores,
    clock,
    customerRef: customerRefFor('k'),
    exportOnly: { analytics: analyticsExport(analytics, 60_000, clock) },
  });
  const request = { actor: { kind: 'system' as const, id: 'test' } };
  const data = await privacy.exportCustomer(seeded.customerId, request);
  expect(data.analytics).toEqual([
    expect.objectContaining({ type: 'turn.completed', customerId: seeded.customerId }),
    { unansweredQuestion: expect.objectContaining({ text: 'can you fix my bike' }) },
  ]);
  expect((await privacy.eraseCustomer(seeded.customerId, request)).notErased).toEqual(['analytics']);
});
