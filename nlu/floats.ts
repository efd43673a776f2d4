/** Float arrays travel in model files as base64 of their bytes. */
export function encodeFloats(values: Float32Array): string {
  return Buffer.from(values.buffer, values.byteOffset, values.byteLength).toString('base64');
}

export function decodeFloats(text: string): Float32Array {
  const bytes = Buffer.from(text, 'base64');
  if (bytes.byteLength % 4 !== 0) throw new Error('model file: a float array is not whole float32s');
  return new Float32Array(Uint8Array.from(bytes).buffer);
}

/** Integer arrays (indices, offsets) travel the same way. */
export function encodeInts(values: Int32Array): string {
  return Buffer.from(values.buffer, values.byteOffset, values.byteLength).toString('base64');
}

export function decodeInts(text: string): Int32Array {
  const bytes = Buffer.from(text, 'base64');
  if (bytes.byteLength % 4 !== 0) throw new Error('model file: an integer array is not whole int32s');
  return new Int32Array(Uint8Array.from(bytes).buffer);
}
