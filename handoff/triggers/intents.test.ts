import { installHandoffTriggers } from './index';
import { createIntentTrigger } from './intents';
import { triggerRuntime } from '../../test/support/trigger-runtime';

function setup() {
  const kit = triggerRuntime();
  kit.runtime.pipeline.use(
    'decide',
    createIntentTrigger({
      handoff: kit.handoff,
      intents: {
        cancel_service: { reason: 'policy', queue: 'retention', priority: 2, detail: 'cancellation' },
        complaint: 'complaint',
      },
    }),
  );
  return kit;
}

describe('createIntentTrigger', () => {
  it('sends a policy intent to its queue before the bot answers', async () => {
    const { send, stores } = setup();
    const replies = await send('intent:cancel_service@0.92 cancel my broadband');
    expect(replies.map((r) => r.text)).not.toContain('bot step');
    const [item] = await stores.cases.list();
    expect(item).toMatchObject({ queue: 'retention', priority: 2, status: 'queued' });
    expect(item?.package).toMatchObject({ reason: 'policy', detail: 'cancellation' });
    expect(item?.package.transcript.find((e) => e.event === 'trigger.intent')?.data).toEqual({
      intent: 'cancel_service',
      confidence: 0.92,
    });
  });

  it('escalates a complaint with the complaint reason', async () => {
    const { send, stores } = setup();
    await send('intent:complaint I want to make a complaint');
    expect((await stores.cases.list())[0]?.package.reason).toBe('complaint');
  });

  it('leaves unsure or unlisted intents to the bot', async () => {
    const { send, stores } = setup();
    expect((await send('intent:cancel_service@0.5 cancel?')).map((r) => r.text)).toEqual(['bot step']);
    expect((await send('intent:order_status where is my order')).map((r) => r.text)).toEqual(['bot step']);
    expect((await send('intent:toString what')).map((r) => r.text)).toEqual(['bot step']);
    expect(await stores.cases.list()).toHaveLength(0);
  });
});

describe('installHandoffTriggers', () => {
  it('hooks intents before the bot, sentiment after it, and the out-of-hours notice last', async () => {
    const kit = triggerRuntime(Date.UTC(2025, 0, 18, 19)); // Saturday 19:00 UTC
    installHandoffTriggers(kit.runtime, kit.handoff, {
      intents: { cancel_service: 'policy' },
      businessHours: { timeZone: 'Europe/London', weekly: { mon: ['09:00-17:00'] } },
    });
    const policy = await kit.send('intent:cancel_service cancel it');
    expect(policy.map((r) => r.text)).not.toContain('bot step');
    expect(policy.at(-1)?.text).toBe('Our team is offline now; a person will reply from Monday 09:00.');
    const angry = await kit.send("this is absolutely useless, I'm furious", 'c2');
    expect(angry[0]?.text).toBe('bot step');
    expect(angry.at(-1)?.text).toMatch(/offline now/);
    expect((await kit.stores.cases.list()).map((c) => c.package.reason).sort()).toEqual([
      'negative_sentiment',
      'policy',
    ]);
  });

  it('can turn the sentiment trigger off', async () => {
    const kit = triggerRuntime();
    installHandoffTriggers(kit.runtime, kit.handoff, { sentiment: false });
    await kit.send("this is absolutely useless, I'm furious");
    expect(await kit.stores.cases.list()).toHaveLength(0);
  });
});
