import type { SparseVector } from './features';
import { decodeFloats, decodeInts, encodeFloats, encodeInts } from './floats';

/**
 * Calibrated probabilities only compare intents with one another: a phrase unlike anything the
 * bot was trained on can still be "surely" its nearest intent. Familiarity asks the other
 * question, how close the phrase comes to the centre of the nearest intent, in the TF-IDF view
 * and in the embedding bag's learned view. Out-of-scope phrases sit far from every centre.
 * Closeness is measured against a reference, a low quantile (`ClassifierConfig.familiarity`, 5 %)
 * of held-out in-scope phrases' closeness, so an ordinary phrase keeps its confidence and only
 * unusual ones are discounted.
 */

/** Cosine of `x` to the nearest centre, from per-class dot products and the norm of `x`. */
function nearest(dots: Float64Array, norm: number): number {
  if (norm === 0) return 0;
  let best = 0;
  for (const dot of dots) if (dot > best) best = dot;
  return best / norm;
}

export interface SparseCentroidsState {
  /** Feature-major CSR: feature f's entries run from offsets[f] to offsets[f + 1]. */
  offsets: string;
  classes: string;
  values: string;
}

/** Unit-length class centres of sparse rows, stored by feature for sparse dot products. */
export class SparseCentroids {
  private readonly dots: Float64Array;

  private constructor(
    private readonly offsets: Int32Array,
    private readonly classes: Int32Array,
    private readonly values: Float32Array,
    classCount: number,
  ) {
    this.dots = new Float64Array(classCount);
  }

  /**
   * The mean of each class's unit-length rows, made unit length. `inScope(c)` says which classes
   * get a centre (never `out_of_scope`: its phrases should make nothing familiar). Built a class
   * at a time through one dense accumulator, so memory stays at one row of the feature space.
   */
  static fit(
    rows: readonly number[] | Int32Array,
    rowOf: (r: number) => SparseVector,
    labels: Int32Array,
    classCount: number,
    features: number,
    inScope: (c: number) => boolean,
  ): SparseCentroids {
    const byClass: number[][] = Array.from({ length: classCount }, () => []);
    for (const r of rows) if (inScope(labels[r])) byClass[labels[r]].push(r);
    const sum = new Float64Array(features);
    const seenBy = new Int32Array(features).fill(-1);
    const touched = new Int32Array(features);
    // Adds class c's unit-length rows into `sum`; returns how many features they touched (`touched`).
    const gather = (c: number): number => {
      let n = 0;
      for (const r of byClass[c]) {
        const { idx, val } = rowOf(r);
        let norm = 0;
        for (const v of val) norm += v * v;
        norm = Math.sqrt(norm) || 1;
        for (let j = 0; j < idx.length; j++) {
          const f = idx[j];
          if (seenBy[f] !== c) {
            seenBy[f] = c;
            touched[n++] = f;
          }
          sum[f] += val[j] / norm;
        }
      }
      return n;
    };
    // Two passes over the rows (count, then fill) instead of holding every entry twice.
    const offsets = new Int32Array(features + 1);
    for (let c = 0; c < classCount; c++) {
      const n = gather(c);
      for (let t = 0; t < n; t++) {
        offsets[touched[t] + 1]++;
        sum[touched[t]] = 0;
      }
    }
    for (let f = 0; f < features; f++) offsets[f + 1] += offsets[f];
    const next = offsets.slice(0, features);
    const classes = new Int32Array(offsets[features]);
    const values = new Float32Array(offsets[features]);
    seenBy.fill(-1);
    for (let c = 0; c < classCount; c++) {
      const n = gather(c);
      let length = 0;
      for (let t = 0; t < n; t++) length += sum[touched[t]] ** 2;
      length = Math.sqrt(length) || 1;
      for (let t = 0; t < n; t++) {
        const f = touched[t];
        const at = next[f]++;
        classes[at] = c;
        values[at] = sum[f] / length;
        sum[f] = 0;
      }
    }
    return new SparseCentroids(offsets, classes, values, classCount);
  }

  static fromState(state: SparseCentroidsState, classCount: number, features: number): SparseCentroids {
    const offsets = decodeInts(state.offsets);
    const classes = decodeInts(state.classes);
    const values = decodeFloats(state.values);
    const entries = offsets[offsets.length - 1];
    if (
      offsets.length !== features + 1 ||
      classes.length !== entries ||
      values.length !== entries ||
      classes.some((c) => c < 0 || c >= classCount)
    ) {
      throw new Error("the model file's intent centres do not match its features and intents");
    }
    return new SparseCentroids(offsets, classes, values, classCount);
  }

  toState(): SparseCentroidsState {
    return {
      offsets: encodeInts(this.offsets),
      classes: encodeInts(this.classes),
      values: encodeFloats(this.values),
    };
  }

  /** Cosine of `x` to the nearest class centre (0 if it shares no feature with any). */
  closeness(x: SparseVector): number {
    const dots = this.dots.fill(0);
    let norm = 0;
    x.idx.forEach((f, j) => {
      const v = x.val[j];
      norm += v * v;
      if (f + 1 >= this.offsets.length) return;
      for (let e = this.offsets[f]; e < this.offsets[f + 1]; e++) dots[this.classes[e]] += this.values[e] * v;
    });
    return nearest(dots, Math.sqrt(norm));
  }
}

/** Unit-length class centres of dense vectors (rows × dimensions, class-major). */
export class DenseCentroids {
  private readonly dots: Float64Array;

  constructor(
    private readonly centres: Float32Array,
    readonly dimensions: number,
  ) {
    this.dots = new Float64Array(centres.length / dimensions);
  }

  /** The mean of each in-scope class's vectors, made unit length; other classes get a zero centre. */
  static fit(
    rows: readonly number[] | Int32Array,
    vectorOf: (r: number) => Float64Array,
    labels: Int32Array,
    classCount: number,
    dimensions: number,
    inScope: (c: number) => boolean,
  ): DenseCentroids {
    const sums = new Float64Array(classCount * dimensions);
    for (const r of rows) {
      if (!inScope(labels[r])) continue;
      const v = vectorOf(r);
      const base = labels[r] * dimensions;
      for (let j = 0; j < dimensions; j++) sums[base + j] += v[j];
    }
    const centres = new Float32Array(sums.length);
    for (let c = 0; c < classCount; c++) {
      const base = c * dimensions;
      let length = 0;
      for (let j = 0; j < dimensions; j++) length += sums[base + j] ** 2;
      length = Math.sqrt(length) || 1;
      for (let j = 0; j < dimensions; j++) centres[base + j] = sums[base + j] / length;
    }
    return new DenseCentroids(centres, dimensions);
  }

  static fromState(text: string, classCount: number, dimensions: number): DenseCentroids {
    const centres = decodeFloats(text);
    if (centres.length !== classCount * dimensions) {
      throw new Error("the model file's intent centres do not match its embedding bag and intents");
    }
    return new DenseCentroids(centres, dimensions);
  }

  toState(): string {
    return encodeFloats(this.centres);
  }

  closeness(v: Float64Array): number {
    const d = this.dimensions;
    let norm = 0;
    for (let j = 0; j < d; j++) norm += v[j] * v[j];
    for (let c = 0; c < this.dots.length; c++) {
      let dot = 0;
      for (let j = 0; j < d; j++) dot += this.centres[c * d + j] * v[j];
      this.dots[c] = dot;
    }
    return nearest(this.dots, Math.sqrt(norm));
  }
}

/** The `q`-quantile (0..1) of held-out in-scope closenesses, linearly interpolated. */
export function quantile(values: readonly number[], q: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  const at = q * (sorted.length - 1);
  const below = Math.floor(at);
  const above = Math.min(sorted.length - 1, below + 1);
  return sorted[below] + (at - below) * (sorted[above] - sorted[below]);
}

/** One view's closeness as a factor in [0, 1]: 1 from the reference up, proportionally less below. */
export function closenessFactor(closeness: number, reference: number): number {
  if (!(reference > 0)) return 1;
  return Math.min(1, Math.max(0, closeness) / reference);
}

export interface FamiliarityState {
  sparse: SparseCentroidsState;
  sparseReference: number;
  /** The embedding bag's view, where the classifier has a bag. */
  dense?: { centres: string; reference: number };
}

/** Both views' factors multiplied: the share of a ranking's probability that stays with the intents. */
export class Familiarity {
  constructor(
    private readonly sparse: SparseCentroids,
    private readonly sparseReference: number,
    private readonly dense?: { centroids: DenseCentroids; reference: number },
  ) {}

  static fromState(
    state: FamiliarityState,
    classCount: number,
    features: number,
    bagDimensions: number | undefined,
  ): Familiarity {
    const sparse = SparseCentroids.fromState(state.sparse, classCount, features);
    if (state.dense && bagDimensions === undefined) {
      throw new Error('the model file has intent centres for an embedding bag it does not have');
    }
    const dense =
      state.dense && bagDimensions !== undefined
        ? {
            centroids: DenseCentroids.fromState(state.dense.centres, classCount, bagDimensions),
            reference: state.dense.reference,
          }
        : undefined;
    return new Familiarity(sparse, state.sparseReference, dense);
  }

  toState(): FamiliarityState {
    return {
      sparse: this.sparse.toState(),
      sparseReference: this.sparseReference,
      ...(this.dense
        ? { dense: { centres: this.dense.centroids.toState(), reference: this.dense.reference } }
        : {}),
    };
  }

  factor(x: SparseVector, hidden: Float64Array | undefined): number {
    let f = closenessFactor(this.sparse.closeness(x), this.sparseReference);
    if (this.dense && hidden)
      f *= closenessFactor(this.dense.centroids.closeness(hidden), this.dense.reference);
    return f;
  }
}
