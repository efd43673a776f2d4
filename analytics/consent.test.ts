import type { AnalyticsEvent, UnansweredQuestion } from '../core/analytics';
import { FakeClock } from '../test/support/fake-clock';
import { consentAwareRecorder, MAX_REMEMBERED_PSEUDONYMS } from './consent';
import type { AnalyticsRecorder } from './recorder';

const DAY = 86_400_000;

// Counts the digests computed, to see which pseudonyms came from the day's memo.
let digests = 0;
jest.mock('node:crypto', () => {
  const actual = jest.requireActual<typeof import('node:crypto')>('node:crypto');
  return {
    ...actual,
    createHmac: (...args: Parameters<typeof actual.createHmac>) => {
      digests++;
      return actual.createHmac(...args);
    },
  };
});

function capture() {
  const events: AnalyticsEvent[] = [];
  const questions: Array<[UnansweredQuestion, string | undefined]> = [];
  const recorder: AnalyticsRecorder = {
    async emit(...batch) {
      events.push(...batch);
    },
    async question(question, customerId) {
      questions.push([question, customerId]);
    },
  };
  return { events, questions, recorder };
}

const opened = (customerId: string, conversationId: string, caseId: string): AnalyticsEvent => ({
  type: 'case.opened',
  at: 1,
  customerId,
  conversationId,
  channel: 'sms',
  caseId,
  queue: 'billing',
  reason: 'complaint',
});

const question = (conversationId: string): UnansweredQuestion => ({
  at: 1,
  conversationId,
  channel: 'sms',
  locale: 'en',
  kind: 'fallback',
  intent: 'out_of_scope',
  text: 'my words',
});

describe('consentAwareRecorder', () => {
  const clock = new FakeClock(Date.UTC(2026, 0, 1, 12));
  const consenting = new Set(['yes-customer']);
  const make = () => {
    const inner = capture();
    let bytes = 0;
    const recorder = consentAwareRecorder(inner.recorder, {
      mayLink: async (id) => consenting.has(id),
      clock,
      random: (size) => Buffer.alloc(size, (bytes += 1)),
    });
    return { inner, recorder };
  };

  it('records a consenting customer as they are, and anonymises everyone else', async () => {
    const { inner, recorder } = make();
    await recorder.emit(
      opened('yes-customer', 'c-yes', 'case-1'),
      opened('no-customer', 'c-no', 'case-2'),
      opened('no-customer', 'c-no', 'case-2'),
    );
    const [kept, first, second] = inner.events as [AnalyticsEvent, AnalyticsEvent, AnalyticsEvent];
    expect(kept).toEqual(opened('yes-customer', 'c-yes', 'case-1'));
    expect(first.customerId).toMatch(/^anon:/);
    expect(first.conversationId).toBe(first.customerId);
    expect(JSON.stringify([first, second])).not.toMatch(/no-customer|c-no|case-2/);
    // One conversation keeps one pseudonym through the day, so per-conversation counts still add up.
    expect(second).toEqual(first);
    expect(first).toMatchObject({ type: 'case.opened', queue: 'billing', reason: 'complaint' });
  });

  it('forgets the pseudonym key every day: the next day the same conversation cannot be linked', async () => {
    const { inner, recorder } = make();
    await recorder.emit(opened('no-customer', 'c-no', 'case-2'));
    clock.advance(DAY);
    await recorder.emit(opened('no-customer', 'c-no', 'case-2'));
    const [today, tomorrow] = inner.events as [AnalyticsEvent, AnalyticsEvent];
    expect(tomorrow.conversationId).toMatch(/^anon:/);
    expect(tomorrow.conversationId).not.toBe(today.conversationId);
  });

  it('digests a conversation once a day, and remembers a bounded number of pseudonyms', async () => {
    const { inner, recorder } = make();
    const start = digests;
    await recorder.emit(opened('no-customer', 'c-memo', 'case-memo'));
    await recorder.emit(opened('no-customer', 'c-memo', 'case-memo'));
    expect(digests - start).toBe(2); // the conversation and the case, once each
    const [first] = inner.events as [AnalyticsEvent];
    expect(inner.events[1]).toEqual(first);

    const others = Array.from({ length: MAX_REMEMBERED_PSEUDONYMS }, (_, i) =>
      opened('no-customer', `c-other-${i}`, 'case-memo'),
    );
    await recorder.emit(...others);
    const beforeAgain = digests;
    await recorder.emit(opened('no-customer', 'c-memo', 'case-memo'));
    // The memo filled up and started again: the conversation is digested afresh, to the same pseudonym.
    expect(digests - beforeAgain).toBeGreaterThanOrEqual(1);
    expect(inner.events.at(-1)).toEqual(first);

    clock.advance(DAY);
    const nextDay = digests;
    await recorder.emit(opened('no-customer', 'c-memo', 'case-memo'));
    expect(digests - nextDay).toBe(2);
    expect(inner.events.at(-1)?.conversationId).not.toBe(first.conversationId);
  });

  it("keeps an unanswered question's text only for a consenting customer", async () => {
    const { inner, recorder } = make();
    await recorder.question(question('c-yes'), 'yes-customer');
    await recorder.question(question('c-no'), 'no-customer');
    await recorder.question(question('c-unknown'));
    expect(inner.questions.map(([q, id]) => [q.conversationId, id])).toEqual([['c-yes', 'yes-customer']]);
  });
});
