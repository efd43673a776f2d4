import type { AnalyticsEvent, TurnCompleted } from '../../core/analytics';

/**
 * A hand-built stream of analytics events over two days (2026-03-02 and 03, UTC) with answers worked out
 * by hand (analytics/metrics.test.ts lists them). Five conversations in the period, one before it:
 * - A (customer ca, webchat, en): greet, order status. Contained.
 * - B (cb, sms): order status, an out-of-scope message, a complaint that opens case c1 (queue general);
 *   claimed after 5 min, first reply 6 min after opening, a message to the agent repeating a value the
 *   package had, handed back after 11 min of handling, satisfied (1).
 * - C (ca again, now on WhatsApp, 3 h after A): order status again (repeat within 24 h), then cancel,
 *   which opens c2 (queue retention) that nobody claims (abandoned).
 * - D (cd, webchat, es, next day): order status (repeat within 7 days of Z), a slot given again, a
 *   fallback, asks for a person: c3 (general), claimed after 2 min, replied at 4, closed 10 min after claim.
 * - E (cb, sms, next day 20:00): a complaint 35 h after B's (repeat within 7 days, not 24 h). Contained.
 * - Z (cd, 4 days before the period): order status. Outside the period: only a repeat's history.
 */
export const PERIOD = { from: Date.UTC(2026, 2, 2), to: Date.UTC(2026, 2, 4) };

const MIN = 60_000;

function turn(
  at: number,
  who: { conversationId: string; customerId: string; channel: string; locale?: string },
  intent: string | undefined,
  flags: Partial<Pick<TurnCompleted, 'fallback' | 'outOfScope' | 'escalated' | 'toAgent'>> = {},
): TurnCompleted {
  return {
    type: 'turn.completed',
    at,
    conversationId: who.conversationId,
    customerId: who.customerId,
    channel: who.channel,
    ...(intent ? { intent, confidence: 0.9 } : {}),
    locale: who.locale ?? 'en',
    fallback: false,
    outOfScope: false,
    escalated: false,
    toAgent: false,
    durationMs: 12,
    ...flags,
  };
}

export function handBuiltStream(): AnalyticsEvent[] {
  const d1 = Date.UTC(2026, 2, 2, 9, 0);
  const d2 = Date.UTC(2026, 2, 3, 10, 0);
  const a = { conversationId: 'A', customerId: 'ca', channel: 'webchat' };
  const b = { conversationId: 'B', customerId: 'cb', channel: 'sms' };
  const c = { conversationId: 'C', customerId: 'ca', channel: 'whatsapp' };
  const d = { conversationId: 'D', customerId: 'cd', channel: 'webchat', locale: 'es' };
  const e = { conversationId: 'E', customerId: 'cb', channel: 'sms' };
  const z = { conversationId: 'Z', customerId: 'cd', channel: 'webchat' };
  const { locale: _l, ...dBase } = d;
  return [
    turn(d1 - 4 * 24 * 60 * MIN, z, 'order_status'),
    turn(d1, a, 'greet'),
    turn(d1 + MIN, a, 'order_status'),
    turn(d1, b, 'order_status'),
    turn(d1 + MIN, b, 'out_of_scope', { fallback: true, outOfScope: true }),
    turn(d1 + 2 * MIN, b, 'complaint', { escalated: true }),
    { ...b, type: 'case.opened', at: d1 + 2 * MIN, caseId: 'c1', queue: 'general', reason: 'complaint' },
    {
      ...b,
      type: 'case.claimed',
      at: d1 + 7 * MIN,
      caseId: 'c1',
      queue: 'general',
      agent: 'sam',
      waitMs: 5 * MIN,
    },
    { ...b, type: 'agent.replied', at: d1 + 8 * MIN, caseId: 'c1', queue: 'general', agent: 'sam' },
    turn(d1 + 9 * MIN, b, undefined, { toAgent: true }),
    { ...b, type: 'info.repeated', at: d1 + 9 * MIN, slot: 'order_number', afterHandoff: true },
    { ...b, type: 'agent.replied', at: d1 + 10 * MIN, caseId: 'c1', queue: 'general', agent: 'sam' },
    { ...b, type: 'case.resolved', at: d1 + 18 * MIN, caseId: 'c1', queue: 'general', agent: 'sam' },
    { ...b, type: 'satisfaction', at: d1 + 19 * MIN, caseId: 'c1', score: 1 },
    turn(d1 + 180 * MIN, c, 'order_status'),
    turn(d1 + 181 * MIN, c, 'cancel_service', { escalated: true }),
    { ...c, type: 'case.opened', at: d1 + 181 * MIN, caseId: 'c2', queue: 'retention', reason: 'policy' },
    turn(d2, d, 'order_status'),
    { ...dBase, type: 'info.repeated', at: d2 + MIN, slot: 'order_number', afterHandoff: false },
    turn(d2 + MIN, d, 'book_appointment', { fallback: true }),
    turn(d2 + 2 * MIN, d, 'human_agent', { escalated: true }),
    {
      ...dBase,
      type: 'case.opened',
      at: d2 + 2 * MIN,
      caseId: 'c3',
      queue: 'general',
      reason: 'customer_request',
    },
    {
      ...dBase,
      type: 'case.claimed',
      at: d2 + 4 * MIN,
      caseId: 'c3',
      queue: 'general',
      agent: 'kim',
      waitMs: 2 * MIN,
    },
    { ...dBase, type: 'agent.replied', at: d2 + 6 * MIN, caseId: 'c3', queue: 'general', agent: 'kim' },
    { ...dBase, type: 'case.closed', at: d2 + 14 * MIN, caseId: 'c3', queue: 'general', agent: 'kim' },
    turn(Date.UTC(2026, 2, 3, 20, 0), e, 'complaint'),
  ];
}
