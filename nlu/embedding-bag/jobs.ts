import type { BagInput } from './encoder';
import { DenseCentroids } from '../familiarity';
import {
  bagHidden,
  bagScores,
  trainEmbeddingBag,
  type EmbeddingBagConfig,
  type EmbeddingBagWeights,
} from './model';

/**
 * Every phrase's table rows, packed (offsets + ids) in shared memory like the sparse rows, with
 * the starting table each training run copies. Training phrases have no unseen words: the table
 * has a row for every token of every training phrase.
 */
export interface BagTrainingInput {
  offsets: Int32Array;
  ids: Int32Array;
  /** Shared and never written: each run trains a copy. */
  table: Float32Array;
  dimensions: number;
  config: EmbeddingBagConfig;
}

function shared<T extends Int32Array | Float32Array>(
  make: (buffer: SharedArrayBuffer) => T,
  bytes: number,
): T {
  return make(new SharedArrayBuffer(bytes));
}

export function packBagInputs(
  inputs: readonly BagInput[],
  table: Float32Array,
  dimensions: number,
  config: EmbeddingBagConfig,
): BagTrainingInput {
  const offsets = shared((b) => new Int32Array(b), 4 * (inputs.length + 1));
  inputs.forEach((input, r) => (offsets[r + 1] = offsets[r] + input.ids.length));
  const ids = shared((b) => new Int32Array(b), 4 * offsets[inputs.length]);
  inputs.forEach((input, r) => ids.set(input.ids, offsets[r]));
  const sharedTable = shared((b) => new Float32Array(b), table.byteLength);
  sharedTable.set(table);
  return { offsets, ids, table: sharedTable, dimensions, config };
}

function inputAt(bag: BagTrainingInput, r: number): BagInput {
  const ids = bag.ids.subarray(bag.offsets[r], bag.offsets[r + 1]);
  return { ids, unseen: null, count: ids.length };
}

/** Trains on `rows` (phrase numbers) from a private copy of the starting table. */
export function trainBagOn(
  bag: BagTrainingInput,
  labels: Int32Array,
  rows: Int32Array,
  classes: number,
  onEpoch?: () => void,
): EmbeddingBagWeights {
  const inputs = Array.from(rows, (r) => inputAt(bag, r));
  const y = Int32Array.from(rows, (r) => labels[r]);
  return trainEmbeddingBag(inputs, y, classes, bag.table.slice(), bag.dimensions, bag.config, onEpoch);
}

/** Phrase `r`'s mean row under a trained bag (into `into`, if given). */
export function bagHiddenAt(
  bag: BagTrainingInput,
  model: EmbeddingBagWeights,
  r: number,
  into?: Float64Array,
): Float64Array {
  return bagHidden(model, inputAt(bag, r), into);
}

/**
 * Held-out class scores (`heldOut.length` × classes) of a model trained on `rows`, and each
 * held-out phrase's closeness to the nearest in-scope class centre of that model's training rows.
 */
export function bagHeldOut(
  bag: BagTrainingInput,
  labels: Int32Array,
  rows: Int32Array,
  heldOut: Int32Array,
  classes: number,
  inScope: (c: number) => boolean,
  onEpoch?: () => void,
): { logits: Float64Array; closeness: Float64Array } {
  const model = trainBagOn(bag, labels, rows, classes, onEpoch);
  const scratch = new Float64Array(bag.dimensions);
  const hiddenOf = (r: number): Float64Array => bagHiddenAt(bag, model, r, scratch);
  const centroids = DenseCentroids.fit(rows, hiddenOf, labels, classes, bag.dimensions, inScope);
  const logits = new Float64Array(heldOut.length * classes);
  const closeness = new Float64Array(heldOut.length);
  heldOut.forEach((r, h) => {
    const hidden = hiddenOf(r);
    logits.set(bagScores(model, hidden), h * classes);
    closeness[h] = centroids.closeness(hidden);
  });
  return { logits, closeness };
}
