import type { AnalyticsEvent } from '../core/analytics';
import { createMemoryAnalytics } from './memory-analytics';

const event = (at: number, intent: string) =>
  ({
    type: 'turn.completed',
    at,
    customerId: 'u',
    conversationId: 'c',
    channel: 'sms',
    locale: 'en',
    intent,
  }) as AnalyticsEvent;
const everything = { from: 0, to: Number.MAX_SAFE_INTEGER };

describe('memory analytics expiry', () => {
  it('forgets events once their retention has passed, writing or reading', async () => {
    let now = 1_000;
    const analytics = createMemoryAnalytics(
      { retentionMs: 100, questionRetentionMs: 100 },
      { now: () => now },
    );
    await analytics.record([event(now, 'first')]);
    now += 60;
    await analytics.record([event(now, 'second')]);
    now += 60; // first is 120 ms old: gone; second 60 ms: kept
    await analytics.record([event(now, 'third')]);
    expect((await analytics.read(everything)).map((e) => ('intent' in e ? e.intent : e.type))).toEqual([
      'second',
      'third',
    ]);
    now += 1_000;
    expect(await analytics.read(everything)).toEqual([]);
  });

  it('never shows an expired event even when the clock went back between writes', async () => {
    let now = 10_000;
    const analytics = createMemoryAnalytics(
      { retentionMs: 100, questionRetentionMs: 100 },
      { now: () => now },
    );
    await analytics.record([event(now, 'late')]);
    now = 9_950; // the clock stepped back: this row is older than the one before it
    await analytics.record([event(now, 'early')]);
    now = 10_060; // 'early' is 110 ms old, 'late' 60 ms
    await analytics.record([event(now, 'now')]);
    expect((await analytics.read(everything)).map((e) => ('intent' in e ? e.intent : e.type))).toEqual([
      'late',
      'now',
    ]);
  });
});

describe('memory analytics copies', () => {
  it('keeps what was recorded when the caller changes its event afterwards, a transfer target included', async () => {
    const store = createMemoryAnalytics({ retentionMs: 1000, questionRetentionMs: 1000 }, { now: () => 5 });
    const turn = event(1, 'order_status') as AnalyticsEvent & { intent: string };
    const moved = {
      type: 'case.transferred',
      at: 2,
      customerId: 'u',
      conversationId: 'c',
      channel: 'sms',
      caseId: 'case-1',
      queue: 'general',
      agent: 'ann',
      to: { kind: 'queue', id: 'billing' },
    } satisfies AnalyticsEvent;
    await store.record([turn, moved]);
    turn.intent = 'changed';
    moved.to.id = 'changed';
    expect(await store.read(everything)).toEqual([
      event(1, 'order_status'),
      { ...moved, to: { kind: 'queue', id: 'billing' } },
    ]);
  });
});
