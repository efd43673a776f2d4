import { EventFactory, TestAdapter, TurnContext, type Activity, type Transcript } from 'botbuilder';
import { crossChannelTranscript, sampleCase } from '../../test/support/handoff-export';
import { TRANSCRIPT_ATTACHMENT, toHandoffInitiation, type BotFrameworkTranscript } from './handoff-initiate';

/** What a hub receives: the activity after JSON serialisation. */
const wire = (activity: Partial<Activity>) => JSON.parse(JSON.stringify(activity)) as Record<string, unknown>;
const transcriptOf = (activity: Partial<Activity>) =>
  activity.attachments?.[0]?.content as BotFrameworkTranscript;

describe('toHandoffInitiation', () => {
  it('is a handoff.initiate event with one Transcript attachment', () => {
    const activity = toHandoffInitiation(sampleCase());
    expect(activity).toMatchObject({ type: 'event', name: 'handoff.initiate', id: 'handoff-case-42' });
    expect(activity.attachments).toHaveLength(1);
    expect(activity.attachments?.[0]).toMatchObject({ name: 'Transcript', contentType: 'application/json' });
    expect(wire(activity)['timestamp']).toBe('2025-01-18T19:02:00.030Z');
  });

  it('carries every transcript line, in order, across channels', () => {
    const lines = transcriptOf(toHandoffInitiation(sampleCase())).activities.map(wire);
    expect(lines).toHaveLength(crossChannelTranscript.length);
    expect(lines.map((line) => line['text'] ?? line['name'])).toEqual(
      crossChannelTranscript.map((entry) => entry.text ?? entry.event),
    );
    expect(lines.map((line) => line['timestamp'])).toEqual(
      crossChannelTranscript.map((entry) => new Date(entry.at).toISOString()),
    );
    expect(lines.map((line) => line['channelId'])).toEqual(
      crossChannelTranscript.map((entry) => entry.channel),
    );
  });

  it('maps speakers to roles, system events to event activities, and NLU results to channelData', () => {
    const [first, flowStarted, botReply, restMessage] = transcriptOf(
      toHandoffInitiation(sampleCase()),
    ).activities;
    expect(first).toMatchObject({
      type: 'message',
      id: 'w1',
      text: 'my internet is down',
      from: { id: 'session-abc', role: 'user' },
      recipient: { id: 'parley-bot', role: 'bot' },
      channelData: {
        parley: { speaker: 'customer', intent: 'report_outage', confidence: 0.93, data: { sentiment: 0 } },
      },
    });
    expect(flowStarted).toMatchObject({
      type: 'event',
      name: 'flow.started',
      value: { flow: 'report_outage' },
      from: { role: 'bot' },
      channelData: { parley: { speaker: 'system', event: 'flow.started' } },
    });
    expect(botReply).toMatchObject({ type: 'message', from: { id: 'parley-bot', role: 'bot' } });
    // The same customer on another channel appears with that channel's identity.
    expect(restMessage?.from).toMatchObject({ id: '+447700900123', role: 'user' });
  });

  it('shows agents on the bot side under their own name', () => {
    const item = sampleCase();
    item.package.transcript.push({
      at: item.updatedAt + 1,
      speaker: 'agent',
      channel: 'rest',
      agent: 'Dana',
      text: 'Hi, Dana here.',
    });
    const last = transcriptOf(toHandoffInitiation(item)).activities.at(-1);
    expect(last).toMatchObject({
      type: 'message',
      text: 'Hi, Dana here.',
      from: { id: 'agent:Dana', name: 'Dana', role: 'bot' },
    });
  });

  it('keeps an internal agent note an event, not a message to the customer', () => {
    const item = sampleCase();
    item.package.transcript.push({
      at: item.updatedAt + 1,
      speaker: 'agent',
      channel: 'rest',
      agent: 'Dana',
      event: 'case.note',
      text: 'customer is a VIP',
    });
    const last = transcriptOf(toHandoffInitiation(item)).activities.at(-1);
    expect(last).toMatchObject({ type: 'event', name: 'case.note', text: 'customer is a VIP' });
  });

  it('puts the case routing and summary in value, or the hub-specific context given', () => {
    expect(toHandoffInitiation(sampleCase()).value).toMatchObject({
      caseId: 'case-42',
      queue: 'technical',
      reason: 'negative_sentiment',
      summary: { slots: { postcode: 'SW1A 1AA' }, sentiment: -0.42 },
      packageVersion: 1,
    });
    expect(toHandoffInitiation(sampleCase(), { handoffContext: { skill: 'broadband' } }).value).toEqual({
      skill: 'broadband',
    });
  });

  it('has the shape botbuilder EventFactory gives a live Bot Framework turn', async () => {
    const incoming: Partial<Activity> = {
      type: 'message',
      id: 'act-9',
      channelId: 'msteams',
      serviceUrl: 'https://smba.example/',
      conversation: { id: 'conv-7', name: '', isGroup: false, conversationType: 'personal' },
      from: { id: 'user-29', name: 'Ada', role: 'user' },
      recipient: { id: 'bot-1', name: 'Acme bot', role: 'bot' },
      text: 'hi',
    };
    const context = new TurnContext(new TestAdapter(), incoming);
    const transcript: Transcript = { activities: [] };
    const reference = wire(EventFactory.createHandoffInitiation(context, { skill: 'x' }, transcript));

    const ours = wire(
      toHandoffInitiation(sampleCase(), {
        reference: TurnContext.getConversationReference(incoming),
        handoffContext: { skill: 'x' },
      }),
    );
    expect(Object.keys(ours).sort()).toEqual(Object.keys(reference).sort());
    for (const key of [
      'type',
      'name',
      'value',
      'from',
      'conversation',
      'channelId',
      'serviceUrl',
      'replyToId',
      'entities',
    ]) {
      expect([key, ours[key]]).toEqual([key, reference[key]]);
    }
    expect(ours['relatesTo']).toMatchObject(reference['relatesTo'] as object);
    const [theirs] = reference['attachments'] as Array<Record<string, unknown>>;
    const [mine] = ours['attachments'] as Array<Record<string, unknown>>;
    expect({ ...mine, content: undefined }).toEqual({ ...theirs, content: undefined });
    expect(TRANSCRIPT_ATTACHMENT).toEqual({ name: theirs?.['name'], contentType: theirs?.['contentType'] });
  });

  it('goes out through a botbuilder turn intact', async () => {
    const sent: Partial<Activity>[] = [];
    const adapter = new TestAdapter(async (context) => {
      const reference = TurnContext.getConversationReference(context.activity);
      await context.sendActivity(toHandoffInitiation(sampleCase(), { reference }));
    });
    await adapter
      .send('I want a person')
      .assertReply((activity) => {
        sent.push(activity);
      })
      .startTest();
    const [event] = sent;
    expect(event).toMatchObject({ type: 'event', name: 'handoff.initiate', channelId: 'test' });
    expect(transcriptOf(event ?? {}).activities).toHaveLength(crossChannelTranscript.length);
  });
});
