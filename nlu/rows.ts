import type { SparseVector } from './features';

/**
 * Feature numbers: 16 bits while there are at most 65,536 features (CLINC150 has about 48,500),
 * else 32. Half the bytes of the largest array a classifier keeps while it trains.
 */
export type FeatureIndices = Uint16Array | Int32Array;

/**
 * A sparse matrix packed row after row (CSR): row `r` holds `idx`/`val` entries
 * `offsets[r]` to `offsets[r + 1]`. Three flat arrays instead of two typed arrays per row: no
 * per-row objects, and a worker thread can be handed the same memory instead of a copy.
 */
export interface PackedRows {
  offsets: Int32Array;
  idx: FeatureIndices;
  val: Float32Array;
}

export function rowCount(packed: PackedRows): number {
  return packed.offsets.length - 1;
}

/** Row `r` as a `SparseVector`: views into the packed arrays, 16-bit feature numbers copied to 32. */
export function rowAt(packed: PackedRows, r: number): SparseVector {
  const from = packed.offsets[r];
  const to = packed.offsets[r + 1];
  const idx = packed.idx.subarray(from, to);
  return { idx: idx instanceof Int32Array ? idx : Int32Array.from(idx), val: packed.val.subarray(from, to) };
}

/**
 * Packs `count` rows over `features` features into SharedArrayBuffers: posting them to a worker
 * shares them instead of copying. `row(r)` is called twice per row, once to size the arrays and
 * once to fill them. Building each row twice (about a second on CLINC150) beats holding them all
 * and copying: memory freed by the garbage collector stays with the process (malloc keeps it)
 * through the training peak, which was 17 MB higher on CLINC150 when rows were packed in one pass.
 */
export function packRows(count: number, features: number, row: (r: number) => SparseVector): PackedRows {
  const offsets = new Int32Array(new SharedArrayBuffer(4 * (count + 1)));
  for (let r = 0; r < count; r++) offsets[r + 1] = offsets[r] + row(r).idx.length;
  const total = offsets[count];
  const idx =
    features <= 1 << 16
      ? new Uint16Array(new SharedArrayBuffer(2 * total))
      : new Int32Array(new SharedArrayBuffer(4 * total));
  const val = new Float32Array(new SharedArrayBuffer(4 * total));
  for (let r = 0; r < count; r++) {
    const x = row(r);
    if (x.idx.length !== offsets[r + 1] - offsets[r]) throw new Error(`row ${r} changed between passes`);
    idx.set(x.idx, offsets[r]);
    val.set(x.val, offsets[r]);
  }
  return { offsets, idx, val };
}

/**
 * The rows one training run learns from: row numbers into a packed matrix shared by all runs,
 * so a calibration fold is a list of numbers rather than a copy of its rows.
 */
export interface TrainingRows {
  packed: PackedRows;
  /** Labels of every packed row (indexed like `packed`, not like `rows`). */
  labels: Int32Array;
  /** The rows to learn from, in the order the solvers number them. */
  rows: Int32Array;
}

/** Row numbers 0..n-1: every row, in order. */
export function allRows(n: number): Int32Array {
  return Int32Array.from({ length: n }, (_, i) => i);
}

/** Rows in hand (tests, experiments) as training rows: all of them, packed, learnt from in order. */
export function trainingRowsOf(
  rows: readonly SparseVector[],
  labels: Int32Array,
  features: number,
): TrainingRows {
  return { packed: packRows(rows.length, features, (r) => rows[r]), labels, rows: allRows(rows.length) };
}
