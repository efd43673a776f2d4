import { availableParallelism } from 'node:os';
import { packRows } from './rows';
import { seededRandom } from './softmax';
import { DEFAULT_SVM } from './svm';
import type { JobInput, JobResult, TrainJob } from './trainers';

const workerErrors: unknown[] = [];
let workersStarted = 0;

// Counts the workers started and the errors that would send a job back to this thread.
jest.mock('node:worker_threads', () => {
  const actual = jest.requireActual<typeof import('node:worker_threads')>('node:worker_threads');
  class CountedWorker extends actual.Worker {
    constructor(...args: ConstructorParameters<typeof actual.Worker>) {
      super(...args);
      workersStarted++;
      this.on('error', (error) => workerErrors.push(error));
    }
  }
  return { ...actual, Worker: CountedWorker };
});

// The test set-up loaded `parallel` before the mock above; a fresh copy sees the counted Worker.
let parallel: typeof import('./parallel');
beforeAll(async () => {
  jest.resetModules();
  parallel = jest.requireActual<typeof import('./parallel')>('./parallel');
});

/** Enough rows for `runJobs` to start a worker, each with a few features and a label. */
function input(): JobInput {
  const random = seededRandom(3);
  const n = 2400;
  const rows = Array.from({ length: n }, () => {
    const idx = [...new Set(Array.from({ length: 5 }, () => Math.floor(random() * 40)))].sort(
      (a, b) => a - b,
    );
    return { idx: Int32Array.from(idx), val: Float32Array.from(idx, () => random()) };
  });
  const labels = Int32Array.from(rows, (x) => x.idx[0] % 4);
  return {
    packed: packRows(n, 40, (r) => rows[r]),
    labels,
    classes: 4,
    features: 40,
    trainer: { kind: 'svm', svm: DEFAULT_SVM },
  };
}

async function run(data: JobInput, jobs: TrainJob[], inWorkers: boolean): Promise<JobResult[]> {
  // Under jest, `runJobs` keeps to this thread unless told otherwise (test/support/jest-setup.ts).
  parallel.allowTrainingThreads(inWorkers);
  try {
    return await parallel.runJobs(data, jobs, () => undefined);
  } finally {
    parallel.allowTrainingThreads(false);
  }
}

describe('training jobs on a worker thread', () => {
  // One core: `runJobs` rightly starts no worker.
  const itWithCores = availableParallelism() >= 2 ? it : it.skip;

  itWithCores(
    'give the same held-out scores and model as on the calling thread, from shared rows',
    async () => {
      const data = input();
      const all = Int32Array.from({ length: data.labels.length }, (_, i) => i);
      const jobs: TrainJob[] = [
        { rows: all.filter((i) => i % 3 !== 0), heldOut: all.filter((i) => i % 3 === 0) },
        { rows: all },
      ];
      const here = await run(data, jobs, false);
      const started = workersStarted;
      const there = await run(data, jobs, true);
      expect(workersStarted).toBe(started + 1);
      expect(workerErrors).toEqual([]);
      expect(there).toEqual(here);
      expect('heldOutLogits' in there[0] && there[0].heldOutLogits.length).toBe((2400 / 3) * 4);
    },
  );
});
