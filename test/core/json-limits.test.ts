import { checkJsonLimits, parseJsonWithin, type JsonLimits } from '../../core/json-limits';

const limits: JsonLimits = { maxDepth: 3, maxEntries: 4, maxStringChars: 10 };

describe('checkJsonLimits', () => {
  it('accepts values within every limit, scalars included', () => {
    for (const value of [null, 1, 'short', true, {}, [], { a: [1, { b: 'c' }] }, [1, 2, 3, 4]]) {
      expect(checkJsonLimits(value, limits)).toBeUndefined();
    }
  });

  it.each([
    [
      'depth',
      { a: { b: { c: {} } } },
      'maxDepth',
      'JSON is nested deeper than 3 levels (at a.b.c) (limit maxDepth)',
    ],
    [
      'entries of an array',
      { list: [1, 2, 3, 4, 5] },
      'maxEntries',
      'list has more than 4 entries (limit maxEntries)',
    ],
    [
      'keys of an object',
      { a: 1, b: 2, c: 3, d: 4, e: 5 },
      'maxEntries',
      'the top level has more than 4 entries (limit maxEntries)',
    ],
    [
      'a string',
      ['x'.repeat(11)],
      'maxStringChars',
      'a string at 0 is longer than 10 characters (limit maxStringChars)',
    ],
    [
      'a key',
      { ['k'.repeat(11)]: 1 },
      'maxStringChars',
      'a key at the top level is longer than 10 characters (limit maxStringChars)',
    ],
  ])('names the limit when %s exceeds it', (_what, value, limit, detail) => {
    expect(checkJsonLimits(value, limits)).toEqual({ limit, detail });
  });

  it('walks 100,000 levels without recursing (a recursive walk overflows the stack)', () => {
    let deep: unknown = 0;
    for (let level = 0; level < 100_000; level += 1) deep = [deep];
    expect(checkJsonLimits(deep)?.limit).toBe('maxDepth');
    expect(checkJsonLimits(deep, { maxDepth: 200_000, maxEntries: 10, maxStringChars: 10 })).toBeUndefined();
  });

  it('keeps the reported path short however deep the value', () => {
    let deep: unknown = 0;
    for (let level = 0; level < 500; level += 1) deep = { ['key'.repeat(10)]: deep };
    expect(checkJsonLimits(deep)?.detail.length).toBeLessThan(200);
  });
});

describe('parseJsonWithin', () => {
  it('tells invalid JSON from a limit', () => {
    expect(parseJsonWithin('{"a":')).toEqual({ ok: false, reason: 'invalid_json', detail: 'not valid JSON' });
    expect(parseJsonWithin('[[[[1]]]]', limits)).toMatchObject({ ok: false, reason: 'limit' });
    expect(parseJsonWithin('{"a":[1]}', limits)).toEqual({ ok: true, value: { a: [1] } });
  });
});
