import { outOfTurnMessage } from '../../core/out-of-turn';
import { carriesCardNumber } from '../../transcripts/redact-message';
import { redactText } from '../../transcripts/redact';
import { tickMessageId } from './device.connector';

// Millisecond times across a decade, a prime step apart: as many Luhn outcomes as there are.
const times = Array.from({ length: 5000 }, (_, i) => Date.UTC(2025, 0, 1) + i * 63_113_851);

describe('ids Parley makes from a time never look like a card number', () => {
  it('the decimal time itself often does: one in ten passes the Luhn check', () => {
    const flagged = times.filter((t) => carriesCardNumber(`tick-${t}`, redactText)).length;
    expect(flagged).toBeGreaterThan(times.length / 20);
  });

  it('the sweeper tick for a deadline', () => {
    expect(times.filter((t) => carriesCardNumber(tickMessageId(t), redactText))).toEqual([]);
    expect(tickMessageId(times[0]!)).toBe(tickMessageId(times[0]!));
  });

  it("an out-of-turn line's message", () => {
    const address = { channel: 'webchat' as const, userId: 'u1' };
    const ids = times.map((t) => outOfTurnMessage('c1', address, { type: 'note', lines: [] }, t).messageId);
    expect(ids.filter((id) => carriesCardNumber(id, redactText))).toEqual([]);
  });
});
