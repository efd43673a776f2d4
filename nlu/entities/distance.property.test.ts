import fc from 'fast-check';
import { DamerauLevenshteinDistance } from 'natural/lib/natural/distance';
import { boundedDamerauLevenshtein, letterMask, mayBeWithin } from './distance';

// Small alphabets make transpositions, repeats and edits between transposed letters common.
const word = (alphabet: string, maxLength: number) =>
  fc.array(fc.constantFrom(...alphabet.split('')), { maxLength }).map((letters) => letters.join(''));
const RUNS = process.env.CI ? 2_000 : 10_000;

describe('boundedDamerauLevenshtein, against natural', () => {
  it(`equals natural's distance within the bound and says "over" beyond it (${RUNS} cases)`, () => {
    fc.assert(
      fc.property(word('abc', 9), word('abc', 9), fc.integer({ min: 0, max: 4 }), (a, b, bound) => {
        const exact = DamerauLevenshteinDistance(a, b);
        const bounded = boundedDamerauLevenshtein(a, b, bound);
        expect(bounded).toBe(exact <= bound ? exact : bound + 1);
      }),
      { numRuns: RUNS },
    );
  });

  it('agrees on real-looking words with accents and typos', () => {
    fc.assert(
      fc.property(word('aeinrstñé', 12), word('aeinrstñé', 12), (a, b) => {
        const exact = DamerauLevenshteinDistance(a, b);
        expect(boundedDamerauLevenshtein(a, b, 2)).toBe(Math.min(exact, 3));
        // A bound large enough never cuts off: the full distance comes back.
        expect(boundedDamerauLevenshtein(a, b, 24)).toBe(exact);
      }),
      { numRuns: RUNS },
    );
  });

  it('counts a transposition with an edit between its letters as the unrestricted distance does', () => {
    // "ca" -> "abc": swap to "ac", insert b = 2 (the restricted, optimal-string-alignment distance says 3).
    expect(boundedDamerauLevenshtein('ca', 'abc', 2)).toBe(2);
    expect(boundedDamerauLevenshtein('aftrenoon', 'afternoon', 2)).toBe(1);
    expect(boundedDamerauLevenshtein('morning', 'evening', 1)).toBe(2);
    // natural's quirk, kept: an extra copy of the letter just matched is free one way, an edit the other.
    expect(boundedDamerauLevenshtein('morning', 'morniing', 2)).toBe(0);
    expect(boundedDamerauLevenshtein('morniing', 'morning', 2)).toBe(1);
    expect(boundedDamerauLevenshtein('', 'ab', 2)).toBe(2);
  });

  it(`never lets the letter-set test turn away two words within the bound (${RUNS} cases)`, () => {
    fc.assert(
      fc.property(word('abcé', 10), word('abcé', 10), fc.integer({ min: 0, max: 3 }), (a, b, bound) => {
        if (boundedDamerauLevenshtein(a, b, bound) <= bound)
          expect(mayBeWithin(letterMask(a), letterMask(b), bound)).toBe(true);
      }),
      { numRuns: RUNS },
    );
    // ...while it does turn away words far apart in their letters.
    expect(mayBeWithin(letterMask('morning'), letterMask('tuesday'), 2)).toBe(false);
    expect(mayBeWithin(letterMask('evening'), letterMask('morning'), 1)).toBe(false);
    expect(mayBeWithin(letterMask('afternon'), letterMask('afternoon'), 0)).toBe(true);
  });
});
