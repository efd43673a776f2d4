import { calibrationReport, fitTemperature, type ScoredExample } from './calibration';
import { seededRandom, softmax } from './softmax';

/**
 * Logits drawn from a known generative model: the true class gets a boost, then everything
 * is multiplied by 3, so the honest temperature is about 3.
 */
function overconfident(n: number, classes: number, seed: number): ScoredExample[] {
  const random = seededRandom(seed);
  const examples: ScoredExample[] = [];
  for (let i = 0; i < n; i++) {
    const base = Float64Array.from({ length: classes }, () => random() * 2);
    const probs = softmax(Float64Array.from(base));
    // Draw the label from the honest probabilities, then report logits three times too sharp.
    let u = random();
    let drawn = classes - 1;
    for (let c = 0; c < classes; c++) {
      u -= probs[c];
      if (u <= 0) {
        drawn = c;
        break;
      }
    }
    examples.push({ logits: base.map((x) => x * 3), label: drawn });
  }
  return examples;
}

describe('temperature scaling', () => {
  it('recovers the temperature of over-confident scores', () => {
    expect(fitTemperature(overconfident(4000, 5, 3))).toBeGreaterThan(2.5);
    expect(fitTemperature(overconfident(4000, 5, 3))).toBeLessThan(3.5);
  });

  it('makes held-out confidence match accuracy', () => {
    const fitOn = overconfident(3000, 5, 7);
    const heldOut = overconfident(3000, 5, 11);
    const t = fitTemperature(fitOn);
    const judge = (temperature: number) =>
      calibrationReport(
        heldOut.map(({ logits, label }) => {
          const p = softmax(Float64Array.from(logits), temperature);
          const top = p.indexOf(Math.max(...p));
          return { confidence: p[top], correct: top === label };
        }),
      ).ece;
    expect(judge(t)).toBeLessThan(0.03);
    expect(judge(1)).toBeGreaterThan(judge(t) * 2);
  });

  it('leaves the temperature at 1 with nothing to fit', () => {
    expect(fitTemperature([])).toBe(1);
  });
});

describe('calibration report', () => {
  it('bins confidences and weighs the gaps by count', () => {
    const report = calibrationReport(
      [
        { confidence: 0.95, correct: true },
        { confidence: 0.85, correct: false },
        { confidence: 0.15, correct: false },
        { confidence: 0.15, correct: true },
      ],
      10,
    );
    expect(report.bins[9]).toMatchObject({ count: 1, accuracy: 1, meanConfidence: 0.95 });
    expect(report.bins[1]).toMatchObject({ count: 2, accuracy: 0.5 });
    // |1-0.95|*1/4 + |0-0.85|*1/4 + |0.5-0.15|*2/4
    expect(report.ece).toBeCloseTo(0.05 / 4 + 0.85 / 4 + 0.35 / 2);
  });
});
