import fc from 'fast-check';

/**
 * Hostile payloads for the fuzz tests: random JSON shapes, deep nesting, huge strings, lone surrogates,
 * control characters, wrong types, binary junk and broken JSON text. Field names of the endpoint under test
 * are mixed in so that some payloads get past the JSON parser and reach the schema and the store.
 */

const LONE_SURROGATES = ['\ud800', '\udbff', '\udc00', '\udfff', '\ud83d'];

/** Strings a client can send: ordinary, empty, Unicode, lone surrogates, control characters, very long. */
export const hostileString: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: fc.string({ maxLength: 40 }) },
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.constantFrom(
    '',
    ' ',
    'human',
    'order A1001',
    '/order_status',
    'sam',
    'demo',
    '<script>x</script>',
    '%00',
  ),
  fc
    .tuple(fc.string({ maxLength: 8 }), fc.constantFrom(...LONE_SURROGATES), fc.string({ maxLength: 8 }))
    .map(([before, lone, after]) => `${before}${lone}${after}`),
  fc.constantFrom('\u0000', '\u202e', '\u2028', '\n\r', '\ufeff', '\u200b').map((c) => `id${c}x`),
  fc.integer({ min: 100, max: 80_000 }).map((length) => 'x'.repeat(length)),
);

/** Any JSON-ish value, with hostile strings in it and sometimes very deep. */
export const hostileValue: fc.Arbitrary<unknown> = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    hostileString,
    fc.oneof(fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.constant(-0)),
    fc.array(tie('value'), { maxLength: 5 }),
    fc.dictionary(
      hostileString.filter((key) => key.length < 200),
      tie('value'),
      { maxKeys: 5 },
    ),
    fc.integer({ min: 20, max: 3_000 }).map((depth) => nest(depth)),
  ),
})).value;

function nest(depth: number): unknown {
  let value: unknown = 'bottom';
  for (let level = 0; level < depth; level += 1) value = level % 2 === 0 ? [value] : { n: value };
  return value;
}

/** An object with some of the endpoint's own fields, each holding a hostile value (wrong types included). */
export function shapedObject(
  fields: readonly string[],
  valid: Record<string, unknown>,
): fc.Arbitrary<unknown> {
  return fc
    .tuple(
      fc.subarray([...fields]),
      fc.array(hostileValue, { minLength: fields.length, maxLength: fields.length }),
      fc.dictionary(fc.string({ maxLength: 10 }), hostileValue, { maxKeys: 2 }),
      fc.boolean(),
    )
    .map(([chosen, values, extra, keepValid]) => {
      const out: Record<string, unknown> = keepValid ? { ...valid } : {};
      chosen.forEach((field, index) => {
        out[field] = values[index];
      });
      return { ...extra, ...out };
    });
}

/** A valid object with some of its string fields replaced by hostile strings: gets past most type checks. */
export function nearlyValid(
  fields: readonly string[],
  valid: Record<string, unknown>,
): fc.Arbitrary<unknown> {
  return fc
    .tuple(fc.subarray([...fields], { minLength: 1 }), fc.array(hostileString, { minLength: fields.length }))
    .map(([chosen, values]) => {
      const out: Record<string, unknown> = { ...valid };
      chosen.forEach((field, index) => {
        out[field] = values[index];
      });
      return out;
    });
}

/** JSON text that the schema cannot have seen: deep brackets, escaped lone surrogates, broken syntax. */
const hostileJsonText: fc.Arbitrary<string> = fc.oneof(
  fc.integer({ min: 1, max: 60_000 }).map((depth) => `${'['.repeat(depth)}${']'.repeat(depth)}`),
  fc.integer({ min: 1, max: 20_000 }).map((depth) => `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`),
  fc.integer({ min: 1, max: 20_000 }).map((depth) => '['.repeat(depth)),
  fc.constantFrom(...LONE_SURROGATES).map((lone) => {
    const escaped = `\\u${lone.charCodeAt(0).toString(16)}`;
    return `{"sender":"a${escaped}","message":"hi","text":"${escaped}","username":"${escaped}","password":"${escaped}","metadata":{"message_id":"${escaped}"}}`;
  }),
  fc.json({ maxDepth: 4 }),
  fc
    .json({ maxDepth: 2 })
    .chain((text) => fc.nat({ max: Math.max(0, text.length - 1) }).map((cut) => text.slice(0, cut))),
  fc.constantFrom(
    '',
    'null',
    'true',
    '"str"',
    '1e999',
    '-',
    '{"__proto__":{"x":1}}',
    '{"constructor":{}}',
    '\u0000',
  ),
);

export interface HttpPayload {
  body: Buffer;
  contentType: string | undefined;
}

const contentTypes = fc.oneof(
  { weight: 7, arbitrary: fc.constant('application/json') },
  {
    weight: 3,
    arbitrary: fc.constantFrom(
      'application/json; charset=utf-8',
      'application/vnd.api+json',
      'text/plain',
      'application/x-www-form-urlencoded',
      'multipart/form-data; boundary=x',
      'application/json; charset=latin1',
      undefined,
    ),
  },
);

function safeStringify(value: unknown): string {
  try {
    return JSON.stringify(value) ?? 'null';
  } catch {
    return '"unstringifiable"'; // a nest deep enough to overflow JSON.stringify itself
  }
}

/** A whole HTTP body: a shaped object, any JSON, hostile JSON text, or binary junk, with a content type. */
export function httpPayload(
  fields: readonly string[],
  valid: Record<string, unknown>,
): fc.Arbitrary<HttpPayload> {
  const text = fc.oneof(
    { weight: 3, arbitrary: shapedObject(fields, valid).map(safeStringify) },
    { weight: 3, arbitrary: nearlyValid(fields, valid).map(safeStringify) },
    { weight: 2, arbitrary: hostileValue.map(safeStringify) },
    { weight: 3, arbitrary: hostileJsonText },
  );
  const body = fc.oneof(
    { weight: 9, arbitrary: text.map((value) => Buffer.from(value, 'utf8')) },
    { weight: 1, arbitrary: fc.uint8Array({ maxLength: 2_000 }).map((bytes) => Buffer.from(bytes)) },
  );
  return fc.record({ body, contentType: contentTypes });
}

/** A WebSocket frame: text (shaped, JSON, hostile JSON text), binary junk, or invalid UTF-8 as text. */
export type SocketFrame = { kind: 'text'; data: string } | { kind: 'binary' | 'bad-utf8'; data: Buffer };

export function socketFrame(
  fields: readonly string[],
  valid: Record<string, unknown>,
): fc.Arbitrary<SocketFrame> {
  const text = fc.oneof(
    { weight: 3, arbitrary: shapedObject(fields, valid).map(safeStringify) },
    { weight: 4, arbitrary: nearlyValid(fields, valid).map(safeStringify) },
    { weight: 2, arbitrary: hostileValue.map(safeStringify) },
    { weight: 3, arbitrary: hostileJsonText },
  );
  return fc.oneof(
    { weight: 18, arbitrary: text.map((data): SocketFrame => ({ kind: 'text', data })) },
    {
      weight: 1,
      arbitrary: fc
        .uint8Array({ maxLength: 500 })
        .map((b): SocketFrame => ({ kind: 'binary', data: Buffer.from(b) })),
    },
    {
      weight: 1,
      arbitrary: fc.uint8Array({ minLength: 1, maxLength: 50 }).map((b): SocketFrame => ({
        kind: 'bad-utf8',
        data: Buffer.concat([Buffer.from(b), Buffer.from([0xc3, 0x28])]),
      })),
    },
  );
}

/** Runs per endpoint: `PARLEY_FUZZ_RUNS=10000 npx jest test/fuzz` for the full campaign; small by default. */
export const FUZZ_RUNS = Math.max(1, Number(process.env.PARLEY_FUZZ_RUNS ?? 600) || 600);
/** A fixed seed keeps CI reproducible; `PARLEY_FUZZ_SEED` explores other inputs. */
export const FUZZ_SEED = Number(process.env.PARLEY_FUZZ_SEED ?? 20261204) || 20261204;
