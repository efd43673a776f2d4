import type { JsonObject, JsonValue } from '../core/json';

/**
 * Per-slot masking: a flow may need a value (to look it up, to read it back once) that must not be kept in
 * clear. The dialog engine uses the value for the turn and stores `maskValue(value)` instead.
 */
export interface MaskOptions {
  /** How many trailing characters stay readable (letters and digits only are masked). Default 4. */
  keepLast?: number;
  /** The character shown instead. Default `•`. */
  maskChar?: string;
}

/**
 * Masks every letter and digit except the last `keepLast`; separators stay, so the shape is recognisable.
 *
 * @example
 * maskValue('ES91 2100 0418 4502 0005 1332'); // '•••• •••• •••• •••• •••• 1332'
 * maskValue('12345678Z', { keepLast: 1 });     // '••••••••Z'
 */
export function maskValue(value: string, { keepLast = 4, maskChar = '•' }: MaskOptions = {}): string {
  const chars = [...value];
  let kept = 0;
  for (let i = chars.length - 1; i >= 0; i -= 1) {
    if (!/[\p{L}\p{N}]/u.test(chars[i]!)) continue;
    if (kept < keepLast) kept += 1;
    else chars[i] = maskChar;
  }
  return chars.join('');
}

/**
 * A copy of `slots` with the named slots masked (strings masked, numbers masked as strings, other values
 * kept). For the stored snapshot; the live turn keeps the real values.
 *
 * @example
 * maskSlots({ iban: 'ES9121000418450200051332', city: 'Madrid' }, ['iban']);
 * // { iban: '••••••••••••••••••••1332', city: 'Madrid' }
 */
export function maskSlots(slots: JsonObject, masked: readonly string[], options?: MaskOptions): JsonObject {
  const copy: JsonObject = { ...slots };
  for (const name of masked) {
    const value: JsonValue | undefined = copy[name];
    if (typeof value === 'string' || typeof value === 'number')
      copy[name] = maskValue(String(value), options);
  }
  return copy;
}
