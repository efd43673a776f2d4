import type { AnalyticsEvent, TurnCompleted } from '../core/analytics';
import { analyticsEventSchema, isWellFormedTurn } from './events';

const turn: TurnCompleted = {
  at: Date.UTC(2026, 2, 2, 9),
  conversationId: 'conv',
  customerId: 'cust',
  channel: 'webchat',
  type: 'turn.completed',
  intent: 'order_status',
  confidence: 0.93,
  locale: 'en',
  fallback: false,
  outOfScope: false,
  escalated: false,
  toAgent: false,
  durationMs: 12.5,
};

/** Values that are wrong, or at an edge, for some field of some event. */
const ODD_VALUES: unknown[] = [
  undefined,
  null,
  '',
  'x',
  'x'.repeat(200),
  'x'.repeat(201),
  0,
  -0,
  -1,
  0.5,
  1,
  1.5,
  Number.NaN,
  Number.POSITIVE_INFINITY,
  Number.MAX_SAFE_INTEGER + 2,
  true,
  false,
  {},
  [],
];

/** The turn with one field changed, removed or added. */
function variants(): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [{ ...turn }];
  for (const key of [...Object.keys(turn), 'extra', 'caseId']) {
    const { [key]: _dropped, ...without } = turn as unknown as Record<string, unknown>;
    out.push(without);
    for (const value of ODD_VALUES) out.push({ ...turn, [key]: value });
  }
  return out;
}

describe('the quick turn check', () => {
  it('never passes a turn the schema rejects, and passes the turns the hook builds', () => {
    const all = variants();
    const passed = all.filter((event) => isWellFormedTurn(event as unknown as AnalyticsEvent));
    for (const event of passed) expect(analyticsEventSchema.safeParse(event).success).toBe(true);
    expect(isWellFormedTurn(turn)).toBe(true);
    const { intent: _i, confidence: _c, ...understoodNothing } = turn;
    expect(isWellFormedTurn(understoodNothing)).toBe(true);
    // It is not vacuous: most variants are wrong, and it rejects them.
    expect(passed.length).toBeGreaterThan(20);
    expect(passed.length).toBeLessThan(all.length / 2);
  });

  it('leaves every other event type to the schema', () => {
    const opened: AnalyticsEvent = {
      ...turn,
      type: 'case.opened',
      caseId: 'case-1',
      queue: 'general',
      reason: 'complaint',
    } as unknown as AnalyticsEvent;
    expect(isWellFormedTurn(opened)).toBe(false);
  });
});
