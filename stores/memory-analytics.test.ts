import type { AnalyticsEvent } from '../core/analytics';
import { FakeClock } from '../test/support/fake-clock';
import { createMemoryAnalytics } from './memory-analytics';

const event = (at: number, conversationId: string) =>
  ({
    type: 'turn.completed',
    at,
    conversationId,
    channel: 'rest',
    locale: 'en',
    intent: 'greet',
  }) as AnalyticsEvent;

describe('memory analytics', () => {
  it('keeps events for their retention after being written, across compactions', async () => {
    const clock = new FakeClock(1_000_000);
    const analytics = createMemoryAnalytics({ retentionMs: 60_000, questionRetentionMs: 30_000 }, clock);
    const all = { from: 0, to: Number.MAX_SAFE_INTEGER };
    // Enough expired rows to make the store compact its array.
    for (let i = 0; i < 3000; i++) await analytics.record([event(clock.now(), `old-${i}`)]);
    clock.advance(30_000);
    await analytics.record([event(clock.now(), 'mid')]);
    clock.advance(30_000); // the first 3000 are exactly 60 s old now: gone
    await analytics.record([event(clock.now(), 'new')]);
    expect((await analytics.read(all)).map((e) => e.conversationId)).toEqual(['mid', 'new']);
    clock.advance(30_000);
    expect((await analytics.read(all)).map((e) => e.conversationId)).toEqual(['new']);
  });

  it('keeps the texts of unanswered questions for their own, shorter period', async () => {
    const clock = new FakeClock(1_000_000);
    const analytics = createMemoryAnalytics({ retentionMs: 60_000, questionRetentionMs: 30_000 }, clock);
    const question = { at: clock.now(), conversationId: 'c', channel: 'rest', locale: 'en' } as const;
    await analytics.recordQuestion({ ...question, kind: 'fallback', intent: 'out_of_scope', text: 'bike?' });
    const all = { from: 0, to: Number.MAX_SAFE_INTEGER };
    clock.advance(29_999);
    expect(await analytics.readQuestions(all)).toHaveLength(1);
    clock.advance(1);
    expect(await analytics.readQuestions(all)).toHaveLength(0);
  });
});
