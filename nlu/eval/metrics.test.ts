import { OUT_OF_SCOPE } from '../../core/nlu';
import { applyThreshold, computeMetrics, tuneThreshold, type Prediction } from './metrics';
import { percentile } from '../../bench/nlu/run';
import { carveValidation, parseCsv } from '../../bench/nlu/datasets';

const p = (gold: string, predicted: string, confidence = 1): Prediction => ({ gold, predicted, confidence });

describe('computeMetrics on a hand-checked case', () => {
  // a: 3 items, 2 right, 1 -> b.  b: 2 items, 1 right, 1 -> a.  oos: 2 items, 1 rejected, 1 -> a.
  const metrics = computeMetrics([
    p('a', 'a'),
    p('a', 'a'),
    p('a', 'b'),
    p('b', 'b'),
    p('b', 'a'),
    p(OUT_OF_SCOPE, OUT_OF_SCOPE),
    p(OUT_OF_SCOPE, 'a'),
  ]);

  it('counts in-scope accuracy and out-of-scope recall separately', () => {
    expect(metrics.accuracy).toBeCloseTo(3 / 5);
    expect(metrics.oosRecall).toBeCloseTo(1 / 2);
  });

  it('computes per-label precision, recall and F1', () => {
    const a = metrics.perLabel.find((l) => l.label === 'a');
    // a predicted 4 times, 2 right: P = 1/2; R = 2/3; F1 = 4/7.
    expect(a).toMatchObject({ label: 'a', precision: 0.5, support: 3 });
    expect(a?.recall).toBeCloseTo(2 / 3);
    expect(a?.f1).toBeCloseTo(4 / 7);
    const b = metrics.perLabel.find((l) => l.label === 'b');
    expect(b?.f1).toBeCloseTo(0.5);
    // macro over a, b, oos: (4/7 + 1/2 + 2/3) / 3
    expect(metrics.macroF1).toBeCloseTo((4 / 7 + 0.5 + 2 / 3) / 3);
  });

  it('lists the worst confusions first', () => {
    expect(metrics.confusions).toEqual([
      { gold: 'a', predicted: 'b', count: 1 },
      { gold: 'b', predicted: 'a', count: 1 },
      { gold: OUT_OF_SCOPE, predicted: 'a', count: 1 },
    ]);
  });

  it('has no out-of-scope recall when there is nothing out of scope', () => {
    expect(computeMetrics([p('a', 'a')]).oosRecall).toBeNull();
  });
});

describe('threshold tuning', () => {
  const raw = [
    { gold: 'a', top: 'a', confidence: 0.9 },
    { gold: 'a', top: 'a', confidence: 0.7 },
    { gold: 'b', top: 'a', confidence: 0.35 },
    { gold: OUT_OF_SCOPE, top: 'a', confidence: 0.3 },
    { gold: OUT_OF_SCOPE, top: 'b', confidence: 0.5 },
  ];

  it('picks the threshold with the best validation accuracy, midway between confidences', () => {
    // Rejecting below 0.6 keeps both right answers and rejects all three wrong ones.
    expect(tuneThreshold(raw)).toBeCloseTo(0.6);
    const metrics = computeMetrics(applyThreshold(raw, 0.6));
    expect(metrics.oosRecall).toBe(1);
    expect(metrics.accuracy).toBeCloseTo(2 / 3);
  });

  it('weighs in-scope accuracy and out-of-scope recall as rates under the balanced objective', () => {
    const many = [
      ...Array.from({ length: 10 }, (_, i) => ({ gold: 'a', top: 'a', confidence: 0.5 + i / 100 })),
      { gold: OUT_OF_SCOPE, top: 'a', confidence: 0.55 },
    ];
    // Rejecting the out-of-scope item costs six right answers: worth it only as rates.
    expect(tuneThreshold(many, 'accuracy')).toBe(0);
    expect(tuneThreshold(many, 'balanced')).toBeCloseTo(0.555);
  });

  it('returns 0 when validation has no out-of-scope items', () => {
    expect(tuneThreshold(raw.filter((r) => r.gold !== OUT_OF_SCOPE))).toBe(0);
  });
});

describe('bench helpers', () => {
  it('takes nearest-rank percentiles', () => {
    const sorted = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(percentile(sorted, 50)).toBe(50);
    expect(percentile(sorted, 99)).toBe(99);
    expect(percentile([], 50)).toBe(0);
  });

  it('parses quoted CSV fields with separators and doubled quotes', () => {
    expect(parseCsv('text,category\n"a, ""b""",x\r\nplain;y,z\n')).toEqual([
      ['text', 'category'],
      ['a, "b"', 'x'],
      ['plain;y', 'z'],
    ]);
  });

  it('carves a stratified, seeded validation split out of train', () => {
    const train = Array.from({ length: 40 }, (_, i) => ({ text: `t${i}`, intent: i % 2 ? 'odd' : 'even' }));
    const a = carveValidation(train);
    expect(a.validation.filter((v) => v.intent === 'odd')).toHaveLength(2);
    expect(a.train).toHaveLength(36);
    expect(carveValidation(train).validation).toEqual(a.validation);
  });
});
