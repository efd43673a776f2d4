import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { rowCount } from './rows';
import { runJob, type JobInput, type JobResult, type TrainJob } from './trainers';

export interface WorkerRequest {
  input: JobInput;
  job: TrainJob;
}

export type WorkerMessage = { step: true } | { result: JobResult };

/**
 * A deliberately small young generation: once its modules are loaded, a training worker allocates
 * almost nothing on the JS heap (its arrays live outside it), so the default semi-spaces would
 * only hold the garbage of loading tsx. Measured: about 5 MB less per worker, no slower.
 */
const WORKER_LIMITS = { maxYoungGenerationSizeMb: 2 };

/**
 * Parley ships as TypeScript run through tsx, so the worker registers tsx before loading
 * its module; where that fails, training falls back to the calling thread. The packed rows are
 * in SharedArrayBuffers, so the worker reads the caller's memory instead of a copy.
 */
function runInWorker(input: JobInput, job: TrainJob, onStep: () => void): Promise<JobResult> {
  const file = join(__dirname, 'train-worker.ts');
  return new Promise((resolve, reject) => {
    const worker = new Worker(`require('tsx/cjs'); require(${JSON.stringify(file)});`, {
      eval: true,
      resourceLimits: WORKER_LIMITS,
    });
    worker.on('message', (message: WorkerMessage) => {
      if ('step' in message) return onStep();
      resolve(message.result);
      void worker.terminate();
    });
    worker.on('error', reject);
    const request: WorkerRequest = { input, job };
    worker.postMessage(request);
  });
}

let threadsAllowed = true;

/**
 * Lets training use worker threads (the default) or keeps it on the calling thread. Test runners that
 * already run one process per core turn it off (`test/support/jest-setup.ts`), so a training test does
 * not start more threads than the machine has cores.
 */
export function allowTrainingThreads(allowed: boolean): void {
  threadsAllowed = allowed;
}

/** Below this much work a worker's start-up costs more than it saves. */
const PARALLEL_MIN_ROWS = 2000;

/**
 * Runs independent training jobs (calibration folds and the final model) on the calling thread
 * and, when the data is large and the machine has the cores, worker threads beside it. Each
 * worker loads its own TypeScript runtime (~20 MB), so the calling thread takes a lane too.
 */
export async function runJobs(
  input: JobInput,
  jobs: readonly TrainJob[],
  onStep: () => void,
): Promise<JobResult[]> {
  const lanes = Math.min(jobs.length, availableParallelism());
  const big = rowCount(input.packed) >= PARALLEL_MIN_ROWS;
  if (lanes < 2 || !big || !threadsAllowed) {
    return jobs.map((job) => runJob(input, job, onStep));
  }
  const results = new Array<JobResult>(jobs.length);
  let next = 0;
  const workerLane = async (): Promise<void> => {
    while (next < jobs.length) {
      const i = next++;
      results[i] = await runInWorker(input, jobs[i], onStep).catch(() => runJob(input, jobs[i], onStep));
    }
  };
  const workers = Array.from({ length: lanes - 1 }, workerLane);
  // The workers have their jobs posted; this thread works through what is left.
  while (next < jobs.length) {
    const i = next++;
    results[i] = runJob(input, jobs[i], onStep);
    await new Promise((done) => setImmediate(done));
  }
  await Promise.all(workers);
  return results;
}
