import { identifierProblem, isWellFormedUnicode } from '../../core/identifiers';

describe('identifierProblem', () => {
  it.each(['alice', 'user@example.com', '+44 20 7946 0000', 'zoë', '😀', 'a:b{c}', 'x'.repeat(128)])(
    'accepts %j',
    (value) => expect(identifierProblem(value)).toBeUndefined(),
  );

  it.each([
    ['', /empty/],
    ['x'.repeat(129), /at most 128/],
    ['a\ud800', /lone UTF-16 surrogate/],
    ['\udc00b', /lone UTF-16 surrogate/],
    ['😀\ud83d', /lone UTF-16 surrogate/],
    ['a\u0000b', /control/],
    ['line\nbreak', /control/],
    ['evil\u202etxt', /control, formatting/],
    ['zero\u200bwidth', /formatting/],
    ['para\u2029graph', /line-separator/],
  ])('refuses %j', (value, reason) => expect(identifierProblem(value)).toMatch(reason));
});

describe('isWellFormedUnicode', () => {
  it('agrees with String.prototype.isWellFormed', () => {
    const samples = [
      '',
      'a',
      '\ud800',
      '\udc00',
      '\ud800\udc00',
      '\udc00\ud800',
      'a\ud83d\ude00b',
      '\ud83d\ud83d',
    ];
    for (const sample of samples) {
      const native = (sample as string & { isWellFormed(): boolean }).isWellFormed();
      expect(isWellFormedUnicode(sample)).toBe(native);
    }
  });
});
