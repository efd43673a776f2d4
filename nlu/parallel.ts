import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { SparseVector } from './features';
import type { SoftmaxWeights } from './softmax';
import { trainLinear, type TrainerConfig } from './trainers';

/** One training run: which rows (by index) to learn from. */
export interface TrainJob {
  rows: Int32Array;
}

export interface JobInput {
  rows: readonly SparseVector[];
  labels: Int32Array;
  classes: number;
  features: number;
  trainer: TrainerConfig;
}

/** Rows flattened into three buffers: cheap to copy to a worker. */
interface PackedRows {
  offsets: Int32Array;
  idx: Int32Array;
  val: Float32Array;
}

export interface WorkerRequest {
  packed: PackedRows;
  labels: Int32Array;
  classes: number;
  features: number;
  trainer: TrainerConfig;
}

export type WorkerMessage = { step: true } | { weights: Float32Array; bias: Float32Array };

function pack(rows: readonly SparseVector[]): PackedRows {
  const offsets = new Int32Array(rows.length + 1);
  rows.forEach((r, i) => (offsets[i + 1] = offsets[i] + r.idx.length));
  const idx = new Int32Array(offsets[rows.length]);
  const val = new Float32Array(offsets[rows.length]);
  rows.forEach((r, i) => {
    idx.set(r.idx, offsets[i]);
    val.set(r.val, offsets[i]);
  });
  return { offsets, idx, val };
}

export function unpack(packed: PackedRows): SparseVector[] {
  const rows: SparseVector[] = [];
  for (let i = 0; i + 1 < packed.offsets.length; i++) {
    const [from, to] = [packed.offsets[i], packed.offsets[i + 1]];
    rows.push({ idx: packed.idx.subarray(from, to), val: packed.val.subarray(from, to) });
  }
  return rows;
}

function select(input: JobInput, job: TrainJob): { rows: SparseVector[]; labels: Int32Array } {
  return {
    rows: Array.from(job.rows, (i) => input.rows[i]),
    labels: Int32Array.from(job.rows, (i) => input.labels[i]),
  };
}

function runInThread(input: JobInput, job: TrainJob, onEpoch: () => void): SoftmaxWeights {
  const { rows, labels } = select(input, job);
  return trainLinear(rows, labels, input.classes, input.features, input.trainer, onEpoch);
}

/**
 * Parley ships as TypeScript run through tsx, so the worker registers tsx before loading
 * its module; where that fails, training falls back to the calling thread.
 */
function runInWorker(input: JobInput, job: TrainJob, onEpoch: () => void): Promise<SoftmaxWeights> {
  const { rows, labels } = select(input, job);
  const request: WorkerRequest = {
    packed: pack(rows),
    labels,
    classes: input.classes,
    features: input.features,
    trainer: input.trainer,
  };
  const file = join(__dirname, 'train-worker.ts');
  return new Promise((resolve, reject) => {
    const worker = new Worker(`require('tsx/cjs'); require(${JSON.stringify(file)});`, { eval: true });
    worker.on('message', (message: WorkerMessage) => {
      if ('step' in message) return onEpoch();
      resolve({
        classes: input.classes,
        features: input.features,
        weights: message.weights,
        bias: message.bias,
      });
      void worker.terminate();
    });
    worker.on('error', reject);
    const { idx, val, offsets } = request.packed;
    worker.postMessage(request, [
      idx.buffer as ArrayBuffer,
      val.buffer as ArrayBuffer,
      offsets.buffer as ArrayBuffer,
    ]);
  });
}

/** Below this much work a worker's start-up costs more than it saves. */
const PARALLEL_MIN_ROWS = 2000;

/**
 * Runs independent training jobs (calibration folds and the final model) on the calling thread
 * and, when the data is large and the machine has the cores, worker threads beside it. Each
 * worker loads its own TypeScript runtime (~50 MB), so the calling thread takes a lane too.
 */
export async function runJobs(
  input: JobInput,
  jobs: readonly TrainJob[],
  onEpoch: () => void,
): Promise<SoftmaxWeights[]> {
  const lanes = Math.min(jobs.length, availableParallelism());
  const big = input.rows.length >= PARALLEL_MIN_ROWS;
  if (lanes < 2 || !big || process.env.JEST_WORKER_ID !== undefined) {
    return jobs.map((job) => runInThread(input, job, onEpoch));
  }
  const results = new Array<SoftmaxWeights>(jobs.length);
  let next = 0;
  const workerLane = async (): Promise<void> => {
    while (next < jobs.length) {
      const i = next++;
      results[i] = await runInWorker(input, jobs[i], onEpoch).catch(() =>
        runInThread(input, jobs[i], onEpoch),
      );
    }
  };
  const workers = Array.from({ length: lanes - 1 }, workerLane);
  // The workers have their jobs posted; this thread works through what is left.
  while (next < jobs.length) {
    const i = next++;
    results[i] = runInThread(input, jobs[i], onEpoch);
    await new Promise((done) => setImmediate(done));
  }
  await Promise.all(workers);
  return results;
}
