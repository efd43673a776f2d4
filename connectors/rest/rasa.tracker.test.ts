import type { TranscriptEntry } from '../../core/transcript';
import { buildTracker } from './rasa.tracker';

const at = (second: number) => Date.UTC(2025, 5, 2, 9, 0, second);

describe('a Rasa tracker from a Parley transcript', () => {
  const entries: TranscriptEntry[] = [
    {
      at: at(0),
      speaker: 'customer',
      channel: 'rest',
      text: 'where is my order',
      intent: 'order_status',
      confidence: 0.9,
      messageId: 'm1',
    },
    { at: at(0), speaker: 'system', channel: 'rest', event: 'flow.started', data: { flow: 'order_status' } },
    { at: at(1), speaker: 'bot', channel: 'rest', text: 'What is the number?' },
    { at: at(2), speaker: 'customer', channel: 'rest', text: 'A1001', intent: 'inform', confidence: 0.7 },
    {
      at: at(2),
      speaker: 'system',
      channel: 'rest',
      event: 'slot.filled',
      data: { flow: 'order_status', slot: 'order_number', value: 'A1001' },
    },
    { at: at(3), speaker: 'system', channel: 'rest', event: 'escalated', data: { caseId: 'c1' } },
    {
      at: at(4),
      speaker: 'agent',
      channel: 'rest',
      event: 'case.note',
      text: 'internal: customer sounded upset',
      agent: 'Sam',
    },
    { at: at(5), speaker: 'agent', channel: 'rest', text: 'Hi, Sam here.', agent: 'Sam' },
    { at: at(6), speaker: 'system', channel: 'rest', event: 'case.resolved' },
  ];
  const tracker = buildTracker('ana', entries, { slots: { order_number: 'A1001' }, paused: false });

  it('turns lines into Rasa events in order, closing each answered turn with action_listen', () => {
    expect(tracker.events.map((event) => event.event)).toEqual([
      'user',
      'flow_started',
      'bot',
      'action',
      'user',
      'slot',
      'pause',
      'bot',
      'resume',
      'action',
    ]);
    expect(tracker.events[0]).toEqual({
      event: 'user',
      timestamp: at(0) / 1000,
      text: 'where is my order',
      parse_data: {
        text: 'where is my order',
        intent: { name: 'order_status', confidence: 0.9 },
        entities: [],
        intent_ranking: [{ name: 'order_status', confidence: 0.9 }],
        message_id: 'm1',
      },
      input_channel: 'rest',
      message_id: 'm1',
    });
    expect(tracker.events[7]).toMatchObject({
      event: 'bot',
      text: 'Hi, Sam here.',
      metadata: { from: 'agent', agent_name: 'Sam' },
    });
  });

  it('keeps agents’ internal notes out', () => {
    expect(JSON.stringify(tracker)).not.toContain('internal: customer sounded upset');
  });

  it('reports the latest message, the open flow and the last action', () => {
    expect(tracker.latest_message).toMatchObject({
      text: 'A1001',
      intent: { name: 'inform', confidence: 0.7 },
    });
    expect(tracker.active_loop).toEqual({ name: 'order_status' });
    expect(tracker.latest_action_name).toBe('action_listen');
    expect(tracker.latest_event_time).toBe(at(6) / 1000);
    expect(tracker.slots).toEqual({ order_number: 'A1001' });
  });

  it('closes a completed flow, and an empty transcript is an empty tracker', () => {
    const done = buildTracker(
      'bo',
      [
        { at: at(0), speaker: 'system', channel: 'rest', event: 'flow.started', data: { flow: 'greet' } },
        { at: at(1), speaker: 'system', channel: 'rest', event: 'flow.completed', data: { flow: 'greet' } },
        {
          at: at(2),
          speaker: 'system',
          channel: 'rest',
          event: 'flow.completed',
          data: { flow: 'never_started' },
        },
      ],
      { slots: {}, paused: false },
    );
    expect(done.active_loop).toEqual({});
    const empty = buildTracker('nobody', [], { slots: {}, paused: false });
    expect(empty).toMatchObject({
      events: [],
      latest_message: {},
      latest_event_time: null,
      latest_action_name: null,
    });
  });
});
