import { loadBotTrainingData } from './builtin-skills';
import { loadNluModel, trainNlu } from '.';
import { CACHEABLE_LENGTH, LruCache, normaliseForCache } from './parse-cache';

const now = new Date('2025-06-04T10:00:00Z');

describe('LruCache', () => {
  it('drops the least recently used entry once full, and a read counts as a use', () => {
    const cache = new LruCache<number>(2);
    cache.set('a', 1);
    cache.set('b', 2);
    expect(cache.get('a')).toBe(1);
    cache.set('c', 3);
    expect([cache.get('a'), cache.get('b'), cache.get('c'), cache.size]).toEqual([1, undefined, 3, 2]);
  });
});

describe('LruCache.forMessage', () => {
  it('computes a short message once, a long one every time, and nothing is kept at capacity 0', () => {
    let computed = 0;
    const compute = () => ++computed;
    const cache = new LruCache<number>(10);
    expect([
      cache.forMessage('thanks', () => 'thanks', compute),
      cache.forMessage('thanks', () => 'thanks', compute),
    ]).toEqual([1, 1]);
    const long = 'x'.repeat(CACHEABLE_LENGTH + 1);
    expect([
      cache.forMessage(long, () => long, compute),
      cache.forMessage(long, () => long, compute),
    ]).toEqual([2, 3]);
    const none = new LruCache<number>(0);
    expect([
      none.forMessage('thanks', () => 'thanks', compute),
      none.forMessage('thanks', () => 'thanks', compute),
    ]).toEqual([4, 5]);
  });
});

describe('cached parse verdicts', () => {
  let serialized = '';
  let phrases: { text: string; language: string }[] = [];
  beforeAll(async () => {
    const data = await loadBotTrainingData('bots/acme/nlu');
    phrases = data.examples.map(({ text, language }) => ({ text, language }));
    serialized = (await trainNlu(data)).serialize();
  });

  it('keys on text whose case and spacing the classifier and the language guesser ignore', () => {
    const model = loadNluModel(serialized, { cacheSize: 0 });
    const variants = (text: string) => [text.toUpperCase(), ` ${text.replace(/ /g, '  \t')} `];
    const differing = phrases.filter(({ text, language }) =>
      variants(text).some(
        (v) =>
          normaliseForCache(v) !== normaliseForCache(text) ||
          JSON.stringify(model.rank(v, language)) !== JSON.stringify(model.rank(text, language)) ||
          model.languageFor(v) !== model.languageFor(text),
      ),
    );
    expect(differing).toEqual([]);
  });

  it('gives exactly the uncached answers, first time and again, for every phrase of the demo bot', async () => {
    const cached = loadNluModel(serialized);
    const uncached = loadNluModel(serialized, { cacheSize: 0 });
    for (const { text } of phrases) {
      const expected = await uncached.parse(text, { now });
      expect(await cached.parse(text, { now })).toEqual(expected);
      // The upper-case form hits the entry its lower-case twin left, and must still be what it would be.
      const upper = text.toUpperCase();
      expect(await cached.parse(upper, { now })).toEqual(await uncached.parse(upper, { now }));
    }
  });

  it('still extracts entities from the exact text and time of each message', async () => {
    const model = loadNluModel(serialized);
    const first = await model.parse('tomorrow', { now });
    const later = await model.parse('Tomorrow', { now: new Date('2025-06-10T10:00:00Z') });
    expect(later.intent).toEqual(first.intent);
    expect([first.entities[0]?.value, later.entities[0]?.value]).toEqual(['2025-06-05', '2025-06-11']);
  });

  it('hands out copies: a caller editing its result does not change the next answer', async () => {
    const model = loadNluModel(serialized);
    const first = await model.parse('thanks', { now });
    const name = first.intent.name;
    first.intent.name = 'edited';
    first.intent_ranking[0].confidence = -1;
    const again = await model.parse('thanks', { now });
    expect(again.intent.name).toBe(name);
    expect(again.intent_ranking[0].confidence).toBeGreaterThan(0);
  });

  it('starts empty with a reloaded model: no verdict outlives the model that gave it', async () => {
    const old = await trainNlu({
      examples: [
        { text: 'hello there', intent: 'greet', language: 'en' },
        { text: 'good morning', intent: 'greet', language: 'en' },
        { text: 'goodbye now', intent: 'bye', language: 'en' },
        { text: 'see you later', intent: 'bye', language: 'en' },
      ],
      entities: [],
    });
    expect((await old.parse('hello there', { now })).intent_ranking[0].name).toBe('greet');
    const reloaded = loadNluModel(serialized);
    expect((await reloaded.parse('hello there', { now })).intent_ranking.map((r) => r.name)).not.toContain(
      'bye',
    );
  });
});
