/** A JSON-serialisable value: everything Parley persists or sends between processes is one of these. */
export type JsonPrimitive = string | number | boolean | null;
export type JsonValue = JsonPrimitive | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

/**
 * Sealed JSON: a deep-frozen copy of a value in its JSON form, remembered as such. Nothing can change it
 * afterwards, so whoever holds one may share it without copying, and whoever made it may trust it without
 * checking it again: the dialog engine seals the state it returns, the memory store keeps it as it is, and
 * the next turn skips the schema check for it. Data from outside the process (Redis, files) is never sealed.
 */
const sealed = new WeakSet<object>();

export function sealJson<T>(value: T): T {
  if (typeof value === 'object' && value !== null && sealed.has(value)) return value;
  // The JSON form is exactly what a store would give back (undefined keys dropped, dates as strings);
  // each object and array is frozen as it is built.
  const copy = toJsonForm(value, true);
  if (typeof copy === 'object' && copy !== null) sealed.add(copy);
  return copy;
}

export function isSealedJson(value: unknown): boolean {
  return typeof value === 'object' && value !== null && sealed.has(value);
}

/** A mutable deep copy of plain JSON (a sealed value, say); faster than a JSON round trip or structuredClone. */
export function cloneJson<T extends JsonValue>(value: T): T {
  if (typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) return value.map((item) => cloneJson(item)) as T;
  const copy: JsonObject = {};
  for (const key of Object.keys(value)) {
    const item = cloneJson((value as JsonObject)[key] as JsonValue);
    // As in `copyAsJson`: a `__proto__` key (JSON from outside may have one) stays an ordinary property.
    if (key === '__proto__') {
      Object.defineProperty(copy, key, { value: item, writable: true, enumerable: true, configurable: true });
    } else copy[key] = item;
  }
  return copy as T;
}

/**
 * A deep copy equal to `JSON.parse(JSON.stringify(value))`, built without the text in between: `toJSON`
 * honoured (dates become strings), `undefined`, functions and symbols dropped from objects and null in
 * arrays, non-finite numbers null, and the same errors (a cycle or a BigInt throws a TypeError; a value with
 * no JSON form at all, `undefined` say, a SyntaxError as JSON.parse would). The stores copy through it so
 * that callers cannot reach a stored record and only what JSON could carry is ever stored.
 */
export function copyAsJson<T>(value: T): T {
  return toJsonForm(value, false);
}

function toJsonForm<T>(value: T, frozen: boolean): T {
  const copy = jsonFormOf(value, '', [], frozen);
  // JSON.stringify gives undefined for these, which JSON.parse then rejects.
  if (copy === undefined) throw new SyntaxError(`${String(value)} has no JSON form`);
  return copy as T;
}

/** The JSON form of one value, read as `holder[key]`; `ancestors` are the objects being copied around it. */
function jsonFormOf(value: unknown, key: string | number, ancestors: object[], frozen: boolean): unknown {
  if ((typeof value === 'object' && value !== null) || typeof value === 'bigint') {
    const toJSON = (value as { toJSON?: unknown }).toJSON;
    // Array indices stay numbers until a toJSON needs them: most arrays hold no dates.
    if (typeof toJSON === 'function') value = toJSON.call(value, String(key));
  }
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return value;
    case 'number':
      // `+ 0` turns -0 into 0, as JSON writes it.
      return Number.isFinite(value) ? value + 0 : null;
    case 'bigint':
      throw new TypeError('Do not know how to serialize a BigInt');
    case 'object':
      return value === null ? null : objectFormOf(value, ancestors, frozen);
    default:
      return undefined; // undefined, functions, symbols
  }
}

function objectFormOf(value: object, ancestors: object[], frozen: boolean): unknown {
  if (Array.isArray(value)) return arrayFormOf(value, ancestors, frozen);
  if (Object.getPrototypeOf(value) !== Object.prototype) {
    // Boxed primitives are written as the value inside, as JSON.stringify does.
    if (value instanceof Number) return jsonFormOf(Number(value), '', ancestors, frozen);
    if (value instanceof String) return String(value);
    if (value instanceof Boolean) return Boolean.prototype.valueOf.call(value);
    if (value instanceof BigInt) throw new TypeError('Do not know how to serialize a BigInt');
  }
  enter(value, ancestors);
  const source = value as Record<string, unknown>;
  // Own enumerable string keys in the engine's order (integer-like ones first), as JSON.stringify lists them.
  const copy: Record<string, unknown> = {};
  for (const key of Object.keys(source)) {
    const item = jsonFormOf(source[key], key, ancestors, frozen);
    if (item === undefined) continue;
    // Assigning `__proto__` would set the prototype; JSON.parse makes it an ordinary property.
    if (key === '__proto__') {
      Object.defineProperty(copy, key, { value: item, writable: true, enumerable: true, configurable: true });
    } else copy[key] = item;
  }
  ancestors.pop();
  return frozen ? Object.freeze(copy) : copy;
}

function arrayFormOf(value: unknown[], ancestors: object[], frozen: boolean): unknown {
  enter(value, ancestors);
  const copy: unknown[] = [];
  const length = value.length;
  for (let index = 0; index < length; index++) {
    const item = jsonFormOf(value[index], index, ancestors, frozen);
    copy.push(item === undefined ? null : item);
  }
  ancestors.pop();
  return frozen ? Object.freeze(copy) : copy;
}

function enter(value: object, ancestors: object[]): void {
  // States are a few levels deep, so a scan of the path is cheaper than a set.
  if (ancestors.includes(value)) throw new TypeError('Converting circular structure to JSON');
  ancestors.push(value);
}
