import type { TrainingExample } from '../loader';
import { assignFolds, evaluateBot } from './evaluate';
import { renderReport } from './report-html';

const phrases = (intent: string, words: string[]): TrainingExample[] =>
  words.flatMap((w) =>
    [`${w} please`, `I want ${w}`, `${w} now`, `can I get ${w}`].map((text) => ({
      text,
      intent,
      language: 'en',
    })),
  );

const data = {
  examples: [
    ...phrases('pizza', ['pizza', 'margherita', 'pepperoni pizza']),
    ...phrases('taxi', ['a taxi', 'a cab', 'a ride']),
    ...phrases('weather', ['the weather', 'the forecast', 'rain forecast']),
  ],
  entities: [],
};

describe('cross-validation', () => {
  it('deals every intent evenly over the folds', () => {
    const folds = assignFolds(data.examples, 4, 1);
    for (const intent of ['pizza', 'taxi', 'weather']) {
      const mine = folds.filter((_, i) => data.examples[i].intent === intent);
      expect([0, 1, 2, 3].map((f) => mine.filter((x) => x === f).length)).toEqual([3, 3, 3, 3]);
    }
  });

  it('classifies every phrase once, by a model that did not see it, and renders a report', async () => {
    const result = await evaluateBot(data, { folds: 4 });
    expect(result.predictions).toHaveLength(data.examples.length);
    expect(new Set(result.predictions.map((p) => p.text)).size).toBe(data.examples.length);
    expect(result.summary.topAccuracy).toBeGreaterThan(0.8);
    const html = renderReport(result, 'test-bot');
    expect(html).toContain('aria-label="confusion matrix"');
    expect(html).toContain('aria-label="confidence histogram"');
  });
});
