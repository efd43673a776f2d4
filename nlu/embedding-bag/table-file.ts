import { decodeFloats, encodeFloats } from '../floats';

/**
 * An embedding table as a model file keeps it: only the rows training touched. Most word-pair
 * buckets of a small bot stay zero, so this is about a third of the whole table's size.
 */
export interface StoredTable {
  /** Base64 of the non-zero rows' numbers (int32, increasing). */
  rows: string;
  /** Base64 of those rows' values (float32, row after row). */
  values: string;
}

export function storeTable(table: Float32Array, dimensions: number): StoredTable {
  const kept: number[] = [];
  for (let r = 0; r * dimensions < table.length; r++) {
    if (table.subarray(r * dimensions, (r + 1) * dimensions).some((v) => v !== 0)) kept.push(r);
  }
  const values = new Float32Array(kept.length * dimensions);
  kept.forEach((r, i) => values.set(table.subarray(r * dimensions, (r + 1) * dimensions), i * dimensions));
  const rows = Int32Array.from(kept);
  return {
    rows: Buffer.from(rows.buffer, rows.byteOffset, rows.byteLength).toString('base64'),
    values: encodeFloats(values),
  };
}

/** The whole table back, zeros where nothing was stored; throws on a table that does not fit. */
export function loadTable(stored: StoredTable, rowCount: number, dimensions: number): Float32Array {
  const bytes = Buffer.from(stored.rows, 'base64');
  if (bytes.byteLength % 4 !== 0) throw new Error('embedding table: row numbers are not whole int32s');
  const rows = new Int32Array(Uint8Array.from(bytes).buffer);
  const values = decodeFloats(stored.values);
  if (values.length !== rows.length * dimensions) {
    throw new Error('embedding table: values do not match the stored rows');
  }
  const table = new Float32Array(rowCount * dimensions);
  rows.forEach((r, i) => {
    if (r < 0 || r >= rowCount || (i > 0 && r <= rows[i - 1])) {
      throw new Error(`the embedding table does not match its vocabulary: row ${r} is out of order or range`);
    }
    table.set(values.subarray(i * dimensions, (i + 1) * dimensions), r * dimensions);
  });
  return table;
}
