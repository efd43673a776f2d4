/** Float and integer arrays travel in model files as base64 of their bytes. */
function base64Of(values: Float32Array | Int32Array): string {
  return Buffer.from(values.buffer, values.byteOffset, values.byteLength).toString('base64');
}

/** The bytes of a base64 array of 4-byte numbers, copied into a buffer of their own. */
function wordsOf(text: string, what: string): ArrayBuffer {
  const bytes = Buffer.from(text, 'base64');
  if (bytes.byteLength % 4 !== 0) throw new Error(`model file: a ${what} array is not whole ${what}s`);
  return Uint8Array.from(bytes).buffer;
}

export function encodeFloats(values: Float32Array): string {
  return base64Of(values);
}

export function decodeFloats(text: string): Float32Array {
  return new Float32Array(wordsOf(text, 'float32'));
}

export function encodeInts(values: Int32Array): string {
  return base64Of(values);
}

export function decodeInts(text: string): Int32Array {
  return new Int32Array(wordsOf(text, 'int32'));
}
