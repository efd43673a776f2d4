import { OUT_OF_SCOPE } from '../core/nlu';
import { oosScore } from './oos';

describe('out-of-scope scores', () => {
  const ranked = [
    { name: 'a', confidence: 0.6 },
    { name: 'b', confidence: 0.3 },
    { name: 'c', confidence: 0.1 },
  ];

  it('scores the best intent by probability, margin, their blend and log-ratio', () => {
    expect(oosScore(ranked, 'probability')).toBeCloseTo(0.6);
    expect(oosScore(ranked, 'margin')).toBeCloseTo(0.3);
    expect(oosScore(ranked, 'blend')).toBeCloseTo(0.45);
    expect(oosScore(ranked, 'log-ratio')).toBeCloseTo(Math.log(2));
  });

  it('lets a trained out_of_scope class compete as the runner-up', () => {
    const withOos = [
      { name: OUT_OF_SCOPE, confidence: 0.5 },
      ...ranked.map((r) => ({ ...r, confidence: r.confidence / 2 })),
    ];
    expect(oosScore(withOos, 'probability')).toBeCloseTo(0.3);
    expect(oosScore(withOos, 'margin')).toBeCloseTo(-0.2);
  });
});
