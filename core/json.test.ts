import { cloneJson, isSealedJson, sealJson, type JsonObject } from './json';

describe('sealed JSON', () => {
  it('is the JSON form of the value, frozen all the way down, and known as sealed', () => {
    const value = { a: [1, { b: 'x' }], gone: undefined, when: new Date('2025-06-04T10:00:00Z') };
    const sealed = sealJson(value) as unknown as JsonObject;
    expect(sealed).toEqual(JSON.parse(JSON.stringify(value)));
    expect(isSealedJson(sealed)).toBe(true);
    expect(isSealedJson(value)).toBe(false);
    expect(isSealedJson(JSON.parse(JSON.stringify(sealed)))).toBe(false);
    const inner = (sealed.a as JsonObject[])[1];
    expect(() => {
      inner.b = 'changed';
    }).toThrow(TypeError);
    expect(sealJson(sealed)).toBe(sealed);
  });

  it('fails on what JSON cannot carry, as a store would', () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(() => sealJson(cyclic)).toThrow(TypeError);
    expect(() => sealJson({ n: BigInt(1) })).toThrow(TypeError);
  });

  it('clones into a mutable copy that shares nothing', () => {
    const sealed = sealJson({ list: [{ n: 1 }], s: 'x', none: null });
    const copy = cloneJson(sealed);
    expect(copy).toEqual(sealed);
    copy.list[0].n = 2;
    copy.list.push({ n: 3 });
    expect(sealed.list).toEqual([{ n: 1 }]);
    expect(isSealedJson(copy)).toBe(false);
  });

  it('keeps a `__proto__` key of parsed JSON as data when cloning, never as the prototype', () => {
    const parsed = JSON.parse('{"__proto__": {"polluted": true}, "a": 1}') as JsonObject;
    const copy = cloneJson(parsed);
    expect(Object.getPrototypeOf(copy)).toBe(Object.prototype);
    expect((copy as { polluted?: boolean }).polluted).toBeUndefined();
    expect(JSON.stringify(copy)).toBe(JSON.stringify(parsed));
  });
});
