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

const freeze = (_key: string, value: unknown): unknown =>
  typeof value === 'object' && value !== null ? Object.freeze(value) : value;

export function sealJson<T>(value: T): T {
  if (typeof value === 'object' && value !== null && sealed.has(value)) return value;
  // The JSON round trip gives exactly what a store would give back (undefined keys dropped, dates as
  // strings); the reviver freezes each object and array as it is built.
  const copy = JSON.parse(JSON.stringify(value), freeze) as T;
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
  for (const key of Object.keys(value)) copy[key] = cloneJson((value as JsonObject)[key]);
  return copy as T;
}
