import { createSentimentTrigger } from './sentiment-trigger';
import { triggerRuntime } from '../../test/support/trigger-runtime';

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
