import { languageTools } from '../nlu/text';
import { extractAnswer, splitSentences } from './extract';

const en = languageTools('en');
const terms = (...words: string[]): Set<string> => new Set(words.map((w) => en.stem(w)));

describe('extracts', () => {
  it('keeps prices and addresses whole when splitting sentences', () => {
    expect(splitSentences('It costs £4.99. Open 192.168.1.1 in a browser. Done!')).toEqual([
      'It costs £4.99.',
      'Open 192.168.1.1 in a browser.',
      'Done!',
    ]);
  });

  it('gives a short section whole', () => {
    const text = 'Standard delivery is free on orders over £30. Below that it costs £3.95.';
    expect(extractAnswer(text, terms('cost'), en)).toBe(text);
  });

  it('picks the sentences of a long section that hold the question’s words, in the article’s order', () => {
    const filler = 'This sentence is only here to make the section long enough to need cutting down. ';
    const text = `${filler.repeat(3)}Refunds reach your card within 5 to 7 working days. ${filler}Delivery charges are refunded too.`;
    const extract = extractAnswer(text, terms('refund', 'card', 'days'), en);
    expect(extract.startsWith('Refunds reach your card within 5 to 7 working days.')).toBe(true);
    expect(extract.length).toBeLessThanOrEqual(280);
  });
});
