import type { SparseVector } from './features';
import { logits } from './softmax';
import { trainSvm } from './svm';

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

  it('trains only the classes asked for, so workers can share them out', () => {
    const rows = [row([[0, 1]]), row([[1, 1]])];
    const model = trainSvm(rows, Int32Array.from([0, 1]), 2, 2, undefined, undefined, 1, 2);
    expect(model.weights[0 * 2 + 0]).toBe(0);
    expect(model.weights[1 * 2 + 1]).toBeGreaterThan(0);
  });
});
