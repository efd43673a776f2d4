import { fitTemperature, type ScoredExample } from '../calibration';
import { BagEncoder, type BagEncoderState } from './encoder';
import { decodeFloats, encodeFloats } from '../floats';
import { bagHidden, bagScores, type EmbeddingBagWeights } from './model';
import { loadTable, storeTable, type StoredTable } from './table-file';

/** How the embedding bag joins the linear model, and what it learned; stored in the model file. */
export interface EmbeddingBagState {
  encoder: BagEncoderState;
  table: StoredTable;
  weights: string;
  bias: number[];
  /** Class scores = linearScale × linear scores + bagScale × bag scores, then the temperature. */
  linearScale: number;
  bagScale: number;
}

export interface EnsembleCalibration {
  linearScale: number;
  bagScale: number;
  temperature: number;
}

/**
 * A weighted product of the two calibrated distributions (a log-linear pool): each model's
 * held-out scores get their own temperature, the pool takes `bagShare` of the bag's log-odds
 * and the rest of the linear model's, and one more temperature makes the pool honest. The bag
 * may be scored on fewer folds than the linear model (small bots calibrate on every fold, and
 * one is plenty for the bag): its scores pair with the first of the linear model's.
 */
export function calibrateEnsemble(
  linear: readonly ScoredExample[],
  bag: readonly ScoredExample[],
  bagShare: number,
): EnsembleCalibration {
  if (bag.length > linear.length || bag.some((example, i) => example.label !== linear[i].label)) {
    throw new Error('held-out scores of the two models do not pair up');
  }
  const linearScale = (1 - bagShare) / fitTemperature(linear);
  const bagScale = bagShare / fitTemperature(bag);
  const pooled = bag.map((example, i) => ({
    label: example.label,
    logits: Float64Array.from(linear[i].logits, (z, c) => linearScale * z + bagScale * example.logits[c]),
  }));
  return { linearScale, bagScale, temperature: fitTemperature(pooled) };
}

/** The trained embedding bag inside a classifier: encodes a phrase and scores it. */
export class EmbeddingBagMember {
  constructor(
    private readonly encoder: BagEncoder,
    private readonly model: EmbeddingBagWeights,
    readonly linearScale: number,
    readonly bagScale: number,
  ) {}

  static fromState(state: EmbeddingBagState, language: string, classes: number): EmbeddingBagMember {
    const encoder = BagEncoder.fromState(state.encoder, language);
    const model: EmbeddingBagWeights = {
      dimensions: encoder.dimensions,
      classes,
      table: loadTable(state.table, encoder.rows, encoder.dimensions),
      weights: decodeFloats(state.weights),
      bias: Float32Array.from(state.bias),
    };
    if (model.weights.length !== classes * encoder.dimensions || model.bias.length !== classes) {
      throw new Error("the model file's embedding bag does not match its vocabulary and intents");
    }
    return new EmbeddingBagMember(encoder, model, state.linearScale, state.bagScale);
  }

  toState(): EmbeddingBagState {
    return {
      encoder: this.encoder.state,
      table: storeTable(this.model.table, this.model.dimensions),
      weights: encodeFloats(this.model.weights),
      bias: Array.from(this.model.bias),
      linearScale: this.linearScale,
      bagScale: this.bagScale,
    };
  }

  get dimensions(): number {
    return this.model.dimensions;
  }

  /** The phrase's mean row: what the bag scores, and its learned view for familiarity. */
  hidden(text: string): Float64Array {
    return bagHidden(this.model, this.encoder.encode(text));
  }

  /** Pools the linear model's raw scores with the bag's scores of `hidden`, in place. */
  pool(linear: Float64Array, hidden: Float64Array): Float64Array {
    const bag = bagScores(this.model, hidden);
    for (let c = 0; c < linear.length; c++) linear[c] = this.linearScale * linear[c] + this.bagScale * bag[c];
    return linear;
  }
}
