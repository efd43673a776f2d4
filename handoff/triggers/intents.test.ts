import { createIntentTrigger } from './intents';
import { triggerRuntime } from './triggers.testkit';

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
