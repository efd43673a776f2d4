import { encodeId, RedisKeys } from './keys';

describe('Redis key encoding', () => {
  it('never throws, whatever the string (encodeURIComponent throws URIError on a lone surrogate)', () => {
    expect(() => encodeURIComponent('\ud800')).toThrow(URIError);
    const keys = new RedisKeys('p');
    for (const id of ['\ud800', '\udfff', 'a\ud83d', '\udc00\ud800', 'ok\ud83d\ude00\ud800']) {
      expect(() => keys.state(id)).not.toThrow();
      expect(() => keys.seen(id, id)).not.toThrow();
      expect(() => keys.case(id)).not.toThrow();
      expect(() => keys.channel(id)).not.toThrow();
    }
  });

  it('keeps well-formed ids exactly as before', () => {
    for (const id of ['rest:alice', 'a{b}c', '😀 x', '%uD800'])
      expect(encodeId(id)).toBe(encodeURIComponent(id));
  });

  it('gives distinct ids distinct keys, lone surrogates included', () => {
    const ids = [
      '\ud800',
      '\udc00',
      '\ufffd',
      '%uD800',
      '%ud800',
      '\ud800\udc00',
      '\udc00\ud800',
      'a\ud800',
      'a',
    ];
    const encoded = new Set(ids.map(encodeId));
    expect(encoded.size).toBe(ids.length);
    expect(encodeId('a\ud800b')).toBe('a%uD800b');
  });
});
