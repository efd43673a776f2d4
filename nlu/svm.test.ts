import type { SparseVector } from './features';
import { packRows, rowAt } from './rows';
import { logits, seededRandom } from './softmax';
import { svmHeldOutLogits, trainSvm, trainSvmOn } from './svm';

const row = (pairs: [number, number][]): SparseVector => ({
  idx: Int32Array.from(pairs.map(([i]) => i)),
  val: Float32Array.from(pairs.map(([, v]) => v)),
});

describe('one-vs-rest linear SVM', () => {
  it('separates classes by their features and scores unseen mixtures sensibly', () => {
    const rows = [
      row([[0, 1]]),
      row([
        [0, 0.8],
        [3, 0.6],
      ]),
      row([[1, 1]]),
      row([
        [1, 0.7],
        [3, 0.7],
      ]),
      row([[2, 1]]),
      row([
        [2, 0.9],
        [3, 0.4],
      ]),
    ];
    const labels = Int32Array.from([0, 0, 1, 1, 2, 2]);
    const model = trainSvm(rows, labels, 3, 4);
    rows.forEach((x, i) => {
      const z = logits(model, x);
      expect(z.indexOf(Math.max(...z))).toBe(labels[i]);
    });
    const unseen = logits(
      model,
      row([
        [1, 0.9],
        [3, 0.4],
      ]),
    );
    expect(unseen.indexOf(Math.max(...unseen))).toBe(1);
  });

  /** Random sparse rows over `features` features, labelled by their strongest feature. */
  function randomRows(
    n: number,
    features: number,
    classes: number,
  ): { rows: SparseVector[]; labels: Int32Array } {
    const random = seededRandom(5);
    const rows = Array.from({ length: n }, () => {
      const idx = [...new Set(Array.from({ length: 4 }, () => Math.floor(random() * features)))].sort(
        (a, b) => a - b,
      );
      return { idx: Int32Array.from(idx), val: Float32Array.from(idx, () => random()) };
    });
    const labels = Int32Array.from(rows, (x) => x.idx[x.val.indexOf(Math.max(...x.val))] % classes);
    return { rows, labels };
  }

  it('learns from row numbers into the shared rows exactly as from a copy of those rows', () => {
    const { rows, labels } = randomRows(60, 12, 3);
    const chosen = Int32Array.from({ length: 60 }, (_, i) => i).filter((i) => i % 3 !== 0);
    const packed = packRows(rows.length, 12, (r) => rows[r]);
    const shared = trainSvmOn({ packed, labels, rows: chosen }, 3, 12);
    const copied = trainSvm(
      Array.from(chosen, (i) => rows[i]),
      Int32Array.from(chosen, (i) => labels[i]),
      3,
      12,
    );
    expect(shared.weights).toEqual(copied.weights);
    expect(shared.bias).toEqual(copied.bias);
  });

  it('scores held-out rows bit for bit as the trained model would, without its matrix', () => {
    const { rows, labels } = randomRows(60, 12, 3);
    const all = Int32Array.from({ length: 60 }, (_, i) => i);
    const data = {
      packed: packRows(rows.length, 12, (r) => rows[r]),
      labels,
      rows: all.filter((i) => i % 3 !== 0),
    };
    const heldOut = all.filter((i) => i % 3 === 0);
    const model = trainSvmOn(data, 3, 12);
    const scores = svmHeldOutLogits(data, heldOut, 3, 12);
    heldOut.forEach((r, h) => {
      expect(scores.subarray(h * 3, h * 3 + 3)).toEqual(logits(model, rowAt(data.packed, r)));
    });
  });
});
