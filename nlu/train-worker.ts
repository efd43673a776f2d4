// Worker-thread entry: runs one training job sent by `parallel.ts` on the caller's shared rows.
import { parentPort } from 'node:worker_threads';
import type { WorkerMessage, WorkerRequest } from './parallel';
import { runJob, transferablesOf } from './trainers';

parentPort?.once('message', ({ input, job }: WorkerRequest) => {
  const post = (message: WorkerMessage, transfer: ArrayBuffer[] = []): void =>
    parentPort?.postMessage(message, transfer);
  const result = runJob(input, job, () => post({ step: true }));
  post({ result }, transferablesOf(result));
});
