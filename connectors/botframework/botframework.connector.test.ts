import { StoreUnavailableError } from '../../core/store-unavailable';
import { eventually } from '../../test/contracts/connector.contract';
import { activity, post, startBot, type BotUnderTest } from '../../test/support/botframework-harness';
import { renderActivities } from './botframework.render';
import { startLocalChannel, type LocalChannel } from '../../test/support/botframework';

const CONVERSATION = 'botframework:msteams:conv-1';

describe('Bot Framework connector, auth off (local development)', () => {
  let channel: LocalChannel;
  let bot: BotUnderTest;

  beforeEach(async () => {
    channel = await startLocalChannel();
    bot = await startBot({ typingAfterMs: 10_000 });
  });
  afterEach(async () => {
    await bot.close();
    await channel.close();
  });

  it('answers a message with a reply POSTed to the channel under the activity it answers', async () => {
    const sent = activity(channel.url, { id: 'a-1', text: 'where is my parcel' });
    const response = await post(bot.url, sent);
    expect(response.status).toBe(200);
    expect(channel.posts).toHaveLength(1);
    expect(channel.posts[0]).toMatchObject({
      conversationId: 'conv-1',
      replyToId: 'a-1',
      activity: { type: 'message', text: 'echo: where is my parcel', inputHint: 'acceptingInput' },
    });
    expect(channel.posts[0].authorization).toBeUndefined(); // auth off: no token is sent either
    const lines = await bot.stores.transcripts.read(CONVERSATION);
    expect(lines.map((line) => [line.speaker, line.channel, line.text])).toEqual([
      ['customer', 'botframework', 'where is my parcel'],
      ['bot', 'botframework', 'echo: where is my parcel'],
    ]);
  });

  it('answers 503 with Retry-After when a store is down, so the channel retries; the retry runs the turn', async () => {
    const sent = activity(channel.url, { id: 'a-down', text: 'while down' });
    const { get } = bot.stores.conversations;
    bot.stores.conversations.get = async () => {
      throw new StoreUnavailableError('redis', new Error('Command timed out'));
    };
    const refused = await post(bot.url, sent);
    expect(refused.status).toBe(503);
    expect(channel.posts).toHaveLength(0);
    bot.stores.conversations.get = get;
    expect((await post(bot.url, sent)).status).toBe(200);
    expect(channel.posts.map((p) => p.activity.text)).toEqual(['echo: while down']);
  });

  it('answers a retry of the same activity id from the record, without running the turn again', async () => {
    const sent = activity(channel.url, { id: 'a-retry', text: 'once' });
    await post(bot.url, sent);
    await post(bot.url, sent);
    expect(channel.posts.map((p) => p.activity.text)).toEqual(['echo: once', 'echo: once']);
    expect(await bot.stores.transcripts.count(CONVERSATION)).toBe(2);
  });

  it('greets a member who joins once, and ignores the bot joining', async () => {
    const joined = (id: string, members: { id: string }[]) =>
      activity(channel.url, { type: 'conversationUpdate', id, text: undefined, membersAdded: members });
    expect((await post(bot.url, joined('u-1', [{ id: 'bot-1' }]))).status).toBe(200);
    expect(channel.posts).toHaveLength(0);
    await post(bot.url, joined('u-2', [{ id: 'bot-1' }, { id: 'user-1' }]));
    await post(bot.url, joined('u-3', [{ id: 'user-1' }]));
    expect(channel.posts.map((p) => p.activity.text)).toEqual(['Hi! How can I help?', 'Hi! How can I help?']);
    const lines = await bot.stores.transcripts.read(CONVERSATION);
    expect(lines.filter((line) => line.speaker === 'bot')).toHaveLength(1);
  });

  it('returns the replies in the response for deliveryMode expectReplies, posting nothing', async () => {
    const response = await post(
      bot.url,
      activity(channel.url, { text: 'buffered', deliveryMode: 'expectReplies' }),
    );
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ activities: [{ type: 'message', text: 'echo: buffered' }] });
    expect(channel.posts).toHaveLength(0);
  });

  it('refuses a serviceUrl off the allow-list with 403 and no side effect', async () => {
    const response = await post(bot.url, activity('https://attacker.example/', { text: 'hello' }));
    expect(response.status).toBe(403);
    expect(await bot.stores.conversations.get(CONVERSATION)).toBeUndefined();
    expect(await bot.stores.transcripts.count(CONVERSATION)).toBe(0);
    const tricky = await post(bot.url, activity('http://localhost:1@attacker.example/', { text: 'hello' }));
    expect(tricky.status).toBe(403);
  });

  it('refuses a malformed activity with 400 naming the field', async () => {
    const response = await post(bot.url, { type: 'message', text: 'no conversation' });
    expect(response.status).toBe(400);
    expect(JSON.stringify(response.body)).toMatch(/conversation/);
  });

  it('acknowledges activities that carry no turn (typing, reactions) without a turn', async () => {
    const response = await post(bot.url, activity(channel.url, { type: 'typing', text: undefined }));
    expect(response.status).toBe(200);
    expect(await bot.stores.conversations.get(CONVERSATION)).toBeUndefined();
  });

  it("delivers an agent's reply proactively to the stored conversation reference", async () => {
    await post(bot.url, activity(channel.url, { id: 'h-1', text: 'human' }));
    const [open] = await bot.stores.cases.list();
    expect(open).toBeDefined();
    channel.posts.length = 0;
    await bot.runtime.deliver(CONVERSATION, {
      from: 'agent',
      agentName: 'Sam',
      text: 'Sam here, I can help.',
    });
    expect(channel.posts).toHaveLength(1);
    expect(channel.posts[0].replyToId).not.toBe('h-1'); // a proactive send answers no customer activity
    expect(channel.posts[0].activity).toMatchObject({
      type: 'message',
      text: 'Sam here, I can help.',
      recipient: { id: 'user-1' },
      channelData: { parley: { from: 'agent', agentName: 'Sam' } },
    });
  });

  it('keeps an agent reply the channel refused for the next turn instead of losing it', async () => {
    await post(bot.url, activity(channel.url, { id: 'k-1', text: 'human' }));
    channel.failNext(1, 403); // not retried by the client: keeps the test quick
    await bot.runtime.deliver(CONVERSATION, { from: 'agent', agentName: 'Sam', text: 'Are you there?' });
    channel.posts.length = 0;
    await post(bot.url, activity(channel.url, { id: 'k-2', text: 'yes I am' }));
    // The held reply goes first, then what this turn says (the case is open: an acknowledgement).
    const texts = channel.posts.map((p) => p.activity.text);
    expect(texts[0]).toBe('Are you there?');
    expect(texts).toHaveLength(2);
  });
});

describe('Bot Framework connector timing', () => {
  let channel: LocalChannel;
  let bot: BotUnderTest | undefined;
  beforeEach(async () => {
    channel = await startLocalChannel();
  });
  afterEach(async () => {
    await bot?.close();
    await channel.close();
  });

  it('shows typing while a slow turn runs, then the reply', async () => {
    bot = await startBot({ typingAfterMs: 20 }, { turnDelayMs: 150 });
    await post(bot.url, activity(channel.url, { id: 't-1', text: 'slow' }));
    expect(channel.posts.map((p) => p.activity.type)).toEqual(['typing', 'message']);
  });

  it('answers 200 within the deadline and sends the late replies out of turn', async () => {
    bot = await startBot({ typingAfterMs: 10_000, answerWithinMs: 50 }, { turnDelayMs: 400 });
    const started = Date.now();
    const response = await post(bot.url, activity(channel.url, { id: 'd-1', text: 'very slow' }));
    expect(response.status).toBe(200);
    expect(Date.now() - started).toBeLessThan(350);
    expect(channel.posts).toHaveLength(0);
    const late = await eventually(() => channel.posts[0], 'the late reply');
    expect(late).toMatchObject({ activity: { text: 'echo: very slow' } });
    expect(late.replyToId).not.toBe('d-1');
  });
});

describe('Bot Framework rendering', () => {
  it('renders buttons as suggested actions, cards as hero cards, speech as speak, and input hints', () => {
    const [buttons, card, spoken, last] = renderActivities([
      { from: 'bot', text: 'Pick one', buttons: [{ title: 'Track my order', payload: '/order_status' }] },
      {
        from: 'bot',
        text: 'Your order',
        cards: [
          {
            title: 'A1001',
            text: 'Shipped',
            imageUrl: 'https://x.example/a.png',
            url: 'https://x.example/o',
          },
        ],
      },
      {
        from: 'bot',
        text: 'Ships Monday.',
        speech: '<speak>Ships <break time="1s"/> Monday.</speak>',
        expectInput: true,
      },
      { from: 'bot', text: 'Goodbye!', endSession: true },
    ]);
    expect(buttons.suggestedActions?.actions).toEqual([
      { type: 'imBack', title: 'Track my order', value: '/order_status' },
    ]);
    expect(card.attachments?.[0]).toMatchObject({
      contentType: 'application/vnd.microsoft.card.hero',
      content: { title: 'A1001', text: 'Shipped', images: [{ url: 'https://x.example/a.png' }] },
    });
    expect(spoken).toMatchObject({ speak: expect.stringContaining('<break'), inputHint: 'expectingInput' });
    expect(last.inputHint).toBe('ignoringInput');
  });
});
