// Worker-thread entry: trains one linear model on rows sent by `parallel.ts`.
import { parentPort } from 'node:worker_threads';
import { unpack, type WorkerMessage, type WorkerRequest } from './parallel';
import { trainLinear } from './trainers';

parentPort?.once('message', (request: WorkerRequest) => {
  const post = (message: WorkerMessage, transfer: ArrayBuffer[] = []): void =>
    parentPort?.postMessage(message, transfer);
  const model = trainLinear(
    unpack(request.packed),
    request.labels,
    request.classes,
    request.features,
    request.trainer,
    () => post({ step: true }),
  );
  post({ weights: model.weights, bias: model.bias }, [
    model.weights.buffer as ArrayBuffer,
    model.bias.buffer as ArrayBuffer,
  ]);
});
