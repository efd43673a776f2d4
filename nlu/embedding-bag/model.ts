import { seededRandom } from '../softmax';
import type { BagInput } from './encoder';

/**
 * A fastText-style classifier (Joulin et al. 2017): a phrase is the mean of its rows in an
 * embedding table (words and hashed word pairs), scored by one linear softmax layer. Starting the
 * word rows from pretrained vectors and tuning them to the intents gives the SVM a partner whose
 * mistakes differ from its own.
 */
export interface EmbeddingBagConfig {
  epochs: number;
  /** Starting SGD step, decayed linearly to zero over the run. */
  learningRate: number;
  /** Most hashed word-pair rows (small bots get fewer); collisions only share what rare pairs learn. */
  maxPairBuckets: number;
  seed: number;
}

export const DEFAULT_EMBEDDING_BAG: EmbeddingBagConfig = {
  epochs: 8,
  learningRate: 0.8,
  maxPairBuckets: 20_000,
  seed: 7,
};

export interface EmbeddingBagWeights {
  dimensions: number;
  classes: number;
  /** rows × dimensions, row-major. */
  table: Float32Array;
  /** classes × dimensions, class-major. */
  weights: Float32Array;
  bias: Float32Array;
}

/** The mean of the phrase's rows and its fixed unseen-word vectors. */
function meanOf(model: EmbeddingBagWeights, input: BagInput, into: Float64Array): void {
  const d = model.dimensions;
  into.fill(0);
  for (const row of input.ids) {
    const base = row * d;
    for (let j = 0; j < d; j++) into[j] += model.table[base + j];
  }
  if (input.unseen) for (let j = 0; j < d; j++) into[j] += input.unseen[j];
  const n = Math.max(1, input.count);
  for (let j = 0; j < d; j++) into[j] /= n;
}

function scoresOf(model: EmbeddingBagWeights, hidden: Float64Array, out: Float64Array): void {
  const d = model.dimensions;
  for (let k = 0; k < model.classes; k++) {
    let v = model.bias[k];
    const base = k * d;
    for (let j = 0; j < d; j++) v += model.weights[base + j] * hidden[j];
    out[k] = v;
  }
}

/** The phrase's mean row: what the bag's softmax layer reads. */
export function bagHidden(
  model: EmbeddingBagWeights,
  input: BagInput,
  into: Float64Array = new Float64Array(model.dimensions),
): Float64Array {
  meanOf(model, input, into);
  return into;
}

/** Raw class scores (logits) of a phrase's mean row. */
export function bagScores(model: EmbeddingBagWeights, hidden: Float64Array): Float64Array {
  const out = new Float64Array(model.classes);
  scoresOf(model, hidden, out);
  return out;
}

/** Raw class scores (logits) for one phrase. */
export function bagLogits(model: EmbeddingBagWeights, input: BagInput): Float64Array {
  return bagScores(model, bagHidden(model, input));
}

/** Below this a class's gradient is noise; skipping it keeps late epochs cheap. */
const NEGLIGIBLE = 1e-6;

/**
 * Plain SGD on softmax cross-entropy, one phrase at a time in a seeded order. `table` is the
 * starting table (see `BagEncoder.initialTable`) and is trained in place.
 */
export function trainEmbeddingBag(
  inputs: readonly BagInput[],
  labels: Int32Array,
  classes: number,
  table: Float32Array,
  dimensions: number,
  config: EmbeddingBagConfig = DEFAULT_EMBEDDING_BAG,
  onEpoch?: () => void,
): EmbeddingBagWeights {
  const random = seededRandom(config.seed);
  const d = dimensions;
  const weights = new Float32Array(classes * d);
  for (let i = 0; i < weights.length; i++) weights[i] = (random() - 0.5) * 0.01;
  const model: EmbeddingBagWeights = {
    dimensions: d,
    classes,
    table,
    weights,
    bias: new Float32Array(classes),
  };
  const hidden = new Float64Array(d);
  const grad = new Float64Array(d);
  const p = new Float64Array(classes);
  const order = Int32Array.from(inputs.keys());
  const steps = config.epochs * inputs.length;
  let step = 0;
  for (let epoch = 0; epoch < config.epochs; epoch++) {
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [order[i], order[j]] = [order[j], order[i]];
    }
    for (const r of order) {
      const input = inputs[r];
      const rate = config.learningRate * (1 - step++ / steps);
      meanOf(model, input, hidden);
      scoresOf(model, hidden, p);
      let max = -Infinity;
      for (let k = 0; k < classes; k++) if (p[k] > max) max = p[k];
      let total = 0;
      for (let k = 0; k < classes; k++) total += p[k] = Math.exp(p[k] - max);
      grad.fill(0);
      for (let k = 0; k < classes; k++) {
        const g = p[k] / total - (k === labels[r] ? 1 : 0);
        if (g < NEGLIGIBLE && g > -NEGLIGIBLE) continue;
        const base = k * d;
        for (let j = 0; j < d; j++) {
          grad[j] += g * weights[base + j];
          weights[base + j] -= rate * g * hidden[j];
        }
        model.bias[k] -= rate * g;
      }
      // d(mean)/d(row) is 1/count for every row the phrase averaged.
      const scale = rate / Math.max(1, input.count);
      for (const row of input.ids) {
        const base = row * d;
        for (let j = 0; j < d; j++) table[base + j] -= scale * grad[j];
      }
    }
    onEpoch?.();
  }
  return model;
}
