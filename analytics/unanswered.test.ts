import type { UnansweredQuestion } from '../core/analytics';
import { clusterQuestions, type MeaningVector } from './unanswered';

const question = (text: string, kind: UnansweredQuestion['kind'] = 'out_of_scope', locale = 'en') => ({
  at: 0,
  conversationId: 'c',
  channel: 'webchat',
  locale,
  kind,
  intent: 'out_of_scope',
  text,
});

// Hand-made vectors: two directions of meaning, and one text between nothing.
const VECTORS: Record<string, MeaningVector> = {
  'do you sell phones': { idx: [0, 1], val: [1, 0.1] },
  'can I buy a mobile': { idx: [0, 1], val: [0.9, 0.2] },
  'any phones for sale': { idx: [0], val: [1] },
  'is paypal accepted': { idx: [2], val: [1] },
  'can I pay with paypal': { idx: [2, 1], val: [1, 0.2] },
  'purple monkey': { idx: [5], val: [1] },
};
const vectorize = (text: string) => VECTORS[text] ?? { idx: [], val: [] };

describe('clustering unanswered questions by meaning', () => {
  it('groups texts whose vectors are close, counts every message and lists distinct examples, largest first', () => {
    const clusters = clusterQuestions(
      [
        question('is paypal accepted'),
        question('do you sell phones'),
        question('can I pay with paypal', 'fallback'),
        question('any phones for sale'),
        question('do you sell phones'),
        question('can I buy a mobile', 'out_of_scope', 'es'),
        question('purple monkey'),
      ],
      vectorize,
      { similarity: 0.6, examples: 2 },
    );
    expect(clusters.map((c) => [c.count, c.kinds, c.locales])).toEqual([
      [4, { out_of_scope: 4, fallback: 0 }, ['en', 'es']],
      [2, { out_of_scope: 1, fallback: 1 }, ['en']],
      [1, { out_of_scope: 1, fallback: 0 }, ['en']],
    ]);
    expect(clusters[0]?.examples).toHaveLength(2);
    expect(new Set(clusters[0]?.examples).size).toBe(2);
    expect(
      clusters[0]?.examples.every((e) =>
        ['do you sell phones', 'any phones for sale', 'can I buy a mobile'].includes(e),
      ),
    ).toBe(true);
    expect(clusters[1]?.examples.sort()).toEqual(['can I pay with paypal', 'is paypal accepted']);
    expect(clusters[2]?.label).toBe('purple monkey');
  });

  it('keeps every text apart when the threshold is above any similarity', () => {
    const clusters = clusterQuestions(
      [question('do you sell phones'), question('any phones for sale')],
      vectorize,
      {
        similarity: 1.01,
        examples: 5,
      },
    );
    expect(clusters.map((c) => c.count)).toEqual([1, 1]);
  });
});
