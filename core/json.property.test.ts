import fc from 'fast-check';
import { copyAsJson, isSealedJson, sealJson } from './json';

// New cases every run; a failure prints its seed and path, which `fc.assert(..., { seed, path })` replays.
// Fewer in CI (two cores, the whole suite): the same generators, still hundreds of awkward values each.
const RUNS = process.env.CI ? 250 : 1_000;

type Outcome = { value: unknown } | { error: string };

function outcome(copy: () => unknown): Outcome {
  try {
    return { value: copy() };
  } catch (error) {
    return { error: (error as Error).constructor.name };
  }
}

const roundTrip = (value: unknown): unknown => JSON.parse(JSON.stringify(value));

/** Same result as the JSON round trip: same values and types (-0 told from 0), same key order, same error. */
function expectSameAsJson(copy: (value: unknown) => unknown, value: unknown): void {
  const expected = outcome(() => roundTrip(value));
  const actual = outcome(() => copy(value));
  if ('error' in expected) {
    expect(actual).toEqual(expected);
    return;
  }
  expect(actual).toStrictEqual(expected);
  expect(keyOrder((actual as { value: unknown }).value)).toEqual(keyOrder(expected.value));
}

/** Every object's keys in order, depth first: toStrictEqual ignores order. */
function keyOrder(value: unknown): string[][] {
  if (typeof value !== 'object' || value === null) return [];
  const own = Array.isArray(value) ? [] : [Object.keys(value)];
  return [...own, ...Object.values(value).flatMap(keyOrder)];
}

function expectDeeplyFrozen(value: unknown): void {
  if (typeof value !== 'object' || value === null) return;
  expect(Object.isFrozen(value)).toBe(true);
  Object.values(value).forEach(expectDeeplyFrozen);
}

const everything = fc.anything({
  withBigInt: true,
  withBoxedValues: true,
  withDate: true,
  withMap: true,
  withSet: true,
  withNullPrototype: true,
  withObjectString: true,
  withSparseArray: true,
  withTypedArray: true,
});

const awkwardLeaf = fc.oneof(
  fc.constantFrom(undefined, NaN, Infinity, -Infinity, -0, null, () => 1, Symbol('s')),
  fc.date({ noInvalidDate: false }),
  fc.jsonValue(),
);
// Integer-like keys (array indices and just past them) beside ordinary ones, and the key JSON.parse keeps
// as a plain property.
const awkwardKey = fc.oneof(
  fc.string(),
  fc.nat().map(String),
  fc.constantFrom('4294967294', '4294967295', '01', '-1', '1.5', '__proto__', 'toJSON'),
);
const { awkward } = fc.letrec<{ awkward: unknown }>((tie) => ({
  awkward: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    awkwardLeaf,
    fc.array(tie('awkward')),
    fc.dictionary(awkwardKey, tie('awkward')),
  ),
}));

describe('copyAsJson, property-based', () => {
  it(`equals the JSON round trip for anything, throwing when it throws (${RUNS} cases each)`, () => {
    for (const values of [everything, fc.jsonValue(), awkward]) {
      fc.assert(
        fc.property(values, (value) => expectSameAsJson(copyAsJson, value)),
        { numRuns: RUNS },
      );
    }
  });

  it('shares nothing with its input', () => {
    fc.assert(
      fc.property(fc.array(fc.dictionary(fc.string(), fc.jsonValue()), { minLength: 1 }), (value) => {
        const copy = copyAsJson(value);
        copy[0]!['added'] = 1;
        expect(value[0]).not.toHaveProperty('added');
      }),
      { numRuns: RUNS },
    );
  });
});

describe('sealJson, property-based', () => {
  it(`equals the JSON round trip, frozen all the way down and known as sealed (${RUNS} cases each)`, () => {
    for (const values of [everything, fc.jsonValue(), awkward]) {
      fc.assert(
        fc.property(values, (value) => {
          expectSameAsJson(sealJson, value);
          const sealed = outcome(() => sealJson(value));
          if ('error' in sealed) return;
          expectDeeplyFrozen(sealed.value);
          const isObject = typeof sealed.value === 'object' && sealed.value !== null;
          expect(isSealedJson(sealed.value)).toBe(isObject);
        }),
        { numRuns: RUNS },
      );
    }
  });
});

describe('copyAsJson, the cases JSON makes special', () => {
  const cases: [string, unknown][] = [
    ['dates as ISO strings, an invalid one as null', { at: new Date(0), bad: new Date(NaN) }],
    [
      'undefined, functions and symbols dropped from objects',
      { u: undefined, f: () => 1, s: Symbol('x'), k: 1 },
    ],
    [
      'and null in arrays, holes too',
      Object.assign(new Array(5), { 0: undefined, 1: () => 1, 4: [undefined, [NaN]] }),
    ],
    ['non-finite numbers as null, -0 as 0', { n: NaN, i: Infinity, m: -Infinity, z: -0 }],
    ['integer-like keys first, ascending', { b: 1, 10: 2, a: 3, 2: 4, '-1': 5, '01': 6 }],
    [
      'a toJSON given its key, its result not asked again',
      { k: { toJSON: (key: string) => ({ key, toJSON: 1 }) } },
    ],
    ['Maps and Sets as {}', { m: new Map([[1, 2]]), s: new Set([1]) }],
    ['boxed values unwrapped', [Object(1), Object('s'), Object(false), Object(NaN)]],
    [
      'class instances by their own fields',
      new (class {
        x = 1;
        y = undefined;
      })(),
    ],
    ['a shared object copied twice (not a cycle)', ((shared) => ({ a: shared, b: [shared] }))({ n: 1 })],
  ];
  it.each(cases)('%s', (_name, value) => expectSameAsJson(copyAsJson, value));

  it('throws what JSON throws: TypeError for a cycle or a BigInt, SyntaxError for no JSON form', () => {
    const cyclic: Record<string, unknown> = { list: [] };
    (cyclic.list as unknown[]).push(cyclic);
    expect(() => copyAsJson(cyclic)).toThrow(TypeError);
    expect(() => copyAsJson({ n: BigInt(1) })).toThrow(TypeError);
    expect(() => copyAsJson(undefined)).toThrow(SyntaxError);
    expect(() => sealJson(() => 1)).toThrow(SyntaxError);
  });
});
