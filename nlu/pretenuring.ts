import { setFlagsFromString } from 'node:v8';

let done = false;

/**
 * Training builds its feature rows in a tight loop of short-lived Maps and strings. In about one
 * run in five V8 judged those allocation sites long-lived and allocated their objects straight
 * into the old generation (allocation-site pretenuring), where they waited for a full collection:
 * `nlu bench` then peaked 60–110 MB higher with the same model (SNIPS 340–360 MB against about
 * 250). Heap sizes are fixed when the process starts, but this flag is read at every collection,
 * so training can turn it off for its process the first time it runs.
 */
export function keepTrainingGarbageYoung(): void {
  if (done) return;
  done = true;
  setFlagsFromString('--no-allocation-site-pretenuring');
}
