import type { TranscriptEntry } from '../../core/transcript';
import { createSentimentScorer, runningSentiment } from './sentiment';
import { createSentimentTrigger } from './sentiment-trigger';
import { triggerRuntime } from './triggers.testkit';

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

describe('createSentimentTrigger', () => {
  function setup(options: { apology?: string | false } = {}) {
    const kit = triggerRuntime();
    kit.runtime.pipeline.use(
      'decide',
      createSentimentTrigger({ handoff: kit.handoff, transcripts: kit.stores.transcripts, ...options }),
    );
    return kit;
  }

  it('hands a furious customer to a person at once, after the bot has answered', async () => {
    const { send, stores } = setup();
    const replies = await send("this is absolutely useless, I'm furious");
    expect(replies.map((r) => r.text).slice(0, 2)).toEqual([
      'bot step',
      "I'm sorry this has been so frustrating.",
    ]);
    expect(replies.at(-1)?.text).toMatch(/passing you to a colleague/);
    const [item] = await stores.cases.list();
    expect(item?.package.reason).toBe('negative_sentiment');
    expect(item?.package.detail).toMatch(/very negative message/);
    const first = item?.package.transcript[0];
    expect(first?.speaker).toBe('customer');
    expect(first?.data?.['sentiment']).toBeLessThan(-0.75);
  });

  it('lets the bot answer one negative message, and escalates on the second in a row', async () => {
    const { send, stores } = setup({ apology: false });
    expect((await send('this is terrible')).map((r) => r.text)).toEqual(['bot step']);
    expect(await stores.cases.list()).toHaveLength(0);
    await send('still not working, awful');
    const [item] = await stores.cases.list();
    expect(item?.package.detail).toMatch(/negative twice in a row/);
    const events = item?.package.transcript.map((e) => e.event).filter(Boolean);
    expect(events).toEqual(['sentiment.negative', 'escalated']);
  });

  it("leaves a flow's own handoff alone: its reason and queue win, and only one case opens", async () => {
    const { send, stores } = setup();
    await send("intent:complaint I'm furious, this is absolutely useless");
    const cases = await stores.cases.list();
    expect(cases).toHaveLength(1);
    expect(cases[0]).toMatchObject({ queue: 'complaints', package: { reason: 'complaint' } });
    expect(cases[0]?.package.transcript[0]?.data?.['sentiment']).toBeLessThan(-0.75);
  });

  it('does not count a negative message followed by a neutral one as a streak', async () => {
    const { send, stores } = setup();
    await send('this is terrible');
    await send('where is my order?');
    await send('the app is awful');
    expect(await stores.cases.list()).toHaveLength(0);
  });

  it('records the score on every customer line, including neutral and positive ones', async () => {
    const { send, stores } = setup();
    await send('where is my order?');
    await send('thanks, that is great');
    const customer = (await stores.transcripts.read('c1')).filter((e) => e.speaker === 'customer');
    expect(customer[0]?.data).toEqual({ sentiment: 0 });
    expect(customer[1]?.data?.['sentiment']).toBeGreaterThan(0.5);
  });

  it('only scores messages that go to an open case: no second case', async () => {
    const { send, stores } = setup();
    await send("this is absolutely useless, I'm furious");
    const replies = await send('I am furious, this is absolutely terrible!!!');
    expect(await stores.cases.list()).toHaveLength(1);
    expect(replies.map((r) => r.text).join(' ')).toMatch(/added that to your case/);
  });
});
