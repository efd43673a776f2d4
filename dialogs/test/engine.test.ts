import { join } from 'node:path';
import type { DialogInput, DialogOutcome } from '../../core/dialog';
import type { JsonObject, JsonValue } from '../../core/json';
import { loadDialogEngine, type DialogImplementations, type FlowDialogEngine } from '..';
import { said, turnAt } from '../../test/support/nlu-fixtures';

const NOW = Date.UTC(2025, 5, 2, 9, 0); // Monday 2 June 2025

const ORDERS: Record<string, string> = { A1001: 'shipped', A1002: 'processing' };

function implementations(overrides: Partial<DialogImplementations> = {}): DialogImplementations {
  return {
    lookups: {
      findOrder: ({ slots }): JsonValue => {
        const status = ORDERS[String(slots.order_number)];
        return status ? { found: true, status } : { found: false };
      },
      bookVisit: () => ({ reference: 'BK-1' }),
    },
    effects: { sendConfirmation: () => undefined },
    guards: {
      orderFound: ({ data }) =>
        typeof data === 'object' && data !== null && !Array.isArray(data) && data.found === true,
    },
    validators: { orderNumber: (value) => typeof value === 'string' && /^[A-Z]\d{4}$/.test(value) },
    ...overrides,
  };
}

function engineWith(overrides: Partial<DialogImplementations> = {}): FlowDialogEngine {
  return loadDialogEngine({
    flowsDir: join(__dirname, 'fixtures/flows'),
    implementations: implementations(overrides),
    options: { intents: ['order_status', 'opening_hours', 'book_appointment', 'goodbye', 'affirm', 'deny'] },
  });
}

/** Drives one conversation and keeps its state between turns, like the pipeline does. */
class Conversation {
  state: JsonValue | undefined;
  last!: DialogOutcome;
  constructor(readonly engine: FlowDialogEngine) {}

  async send(input: DialogInput): Promise<string[]> {
    this.last = await this.engine.step(this.state, input, turnAt(NOW));
    this.state = this.last.state;
    return this.last.replies.map((reply) => reply.text);
  }

  events(): string[] {
    return this.last.events.map((event) => event.event);
  }
}

describe('slot filling', () => {
  it('takes the slot from the message that started the flow, without asking', async () => {
    const chat = new Conversation(engineWith());
    const replies = await chat.send(
      said('where is order A1002', 'order_status', [['order_number', 'A1002']]),
    );
    expect(replies).toEqual(['Order A1002 is processing.']);
    expect(chat.events()).toEqual(['flow.started', 'slot.filled', 'flow.completed']);
    expect(chat.engine.summarize(chat.state)).toEqual({
      lastIntent: 'order_status',
      slots: { order_number: 'A1002' },
      tried: [
        'Customer asked about Order status: "where is order A1002"',
        'Told the customer order A1002 is processing',
      ],
    });
  });

  it('asks when missing, reprompts on a useless answer, and never asks again for a known slot', async () => {
    const chat = new Conversation(engineWith());
    expect(await chat.send(said('where is my order', 'order_status'))).toEqual([
      'What is your order number?',
    ]);
    expect(await chat.send(said('dunno', 'out_of_scope', [], 0.2))).toEqual([
      'Order numbers look like A1001. What is yours?',
    ]);
    expect(await chat.send(said('A1001', 'out_of_scope', [['order_number', 'A1001']], 0.3))).toEqual([
      'Order A1001 is shipped.',
    ]);
    expect(await chat.send(said('and my order again?', 'order_status'))).toEqual(['Order A1001 is shipped.']);
  });

  it('rejects invalid entity values and gives up after maxAttempts, as the flow decides', async () => {
    const chat = new Conversation(engineWith());
    await chat.send(said('order status', 'order_status'));
    expect(await chat.send(said('order 12', 'order_status', [['order_number', '12']]))).toEqual([
      'Order numbers look like A1001. What is yours?',
    ]);
    expect(await chat.send(said('no idea', 'out_of_scope', [], 0.1))).toEqual([
      'Shall I pass you to a colleague?',
    ]);
    expect(chat.events()).toEqual(['slot.rejected', 'slot.exhausted']);
  });

  it('counts back-end rejections as attempts and escalates when the customer accepts', async () => {
    const chat = new Conversation(engineWith());
    expect(await chat.send(said('order A9999', 'order_status', [['order_number', 'A9999']]))).toEqual([
      "I can't find order A9999.",
      'What is your order number?',
    ]);
    expect(await chat.send(said('A9998', 'out_of_scope', [['order_number', 'A9998']], 0.2))).toEqual([
      "I can't find order A9998.",
      'Shall I pass you to a colleague?',
    ]);
    await chat.send(said('yes', 'affirm'));
    expect(chat.last.escalation).toEqual({ reason: 'flow_decision', detail: 'order not found' });
    expect(chat.engine.summarize(chat.state).tried).toEqual([
      'Customer asked about Order status: "order A9999"',
      'Could not find order A9999',
      'Could not find order A9998',
    ]);
  });
});

describe('the dialog stack', () => {
  it('answers a digression, then resumes the interrupted flow by re-asking its question', async () => {
    const chat = new Conversation(engineWith());
    expect(await chat.send(said('book an engineer', 'book_appointment'))).toEqual(['Which day?']);
    expect(await chat.send(said('when are you open?', 'opening_hours'))).toEqual([
      'We are open 9 to 5.',
      'Which day?',
    ]);
    expect(chat.events()).toEqual(['flow.started', 'flow.completed', 'flow.resumed']);
    expect(chat.last.events[0].data).toEqual({
      flow: 'opening_hours',
      intent: 'opening_hours',
      interrupted: 'book_appointment',
    });
    expect(await chat.send(said('Thursday', 'out_of_scope', [['date', '2025-06-05']], 0.3))).toEqual([
      'Morning or afternoon?',
    ]);
  });

  it('fills several slots from one message and skips their questions', async () => {
    const chat = new Conversation(engineWith());
    const replies = await chat.send(
      said('book an engineer Thursday morning', 'book_appointment', [
        ['date', '2025-06-05', 'Thursday'],
        ['time_window', 'morning'],
      ]),
    );
    expect(replies).toEqual(['Book 2025-06-05 in the morning?']);
    expect(await chat.send(said('yes', 'affirm'))).toEqual(['Booked, reference BK-1.']);
  });

  it('treats a bare answer as the answer, even when the NLU guessed another flow', async () => {
    const chat = new Conversation(engineWith());
    await chat.send(said('order status', 'order_status'));
    expect(await chat.send(said('A1001', 'book_appointment', [['order_number', 'A1001']]))).toEqual([
      'Order A1001 is shipped.',
    ]);
  });

  it('lets a clearStack flow drop what it interrupted', async () => {
    const chat = new Conversation(engineWith());
    await chat.send(said('book a visit', 'book_appointment'));
    expect(await chat.send(said('bye', 'goodbye'))).toEqual(['Goodbye!']);
    expect(await chat.send(said('what?', 'out_of_scope', [], 0.1))).toEqual([
      "Sorry, I didn't quite get that. I can help with book a visit, opening hours or order status.",
    ]);
  });

  it('starts over on a restart phrase, forgetting slots', async () => {
    const chat = new Conversation(engineWith());
    await chat.send(said('order A1001', 'order_status', [['order_number', 'A1001']]));
    await chat.send(said('book', 'book_appointment'));
    expect(await chat.send(said('Start over!', 'out_of_scope', [], 0.2))).toEqual([
      "OK, let's start over. What can I help you with?",
    ]);
    expect(await chat.send(said('my order', 'order_status'))).toEqual(['What is your order number?']);
  });
});

describe('global behaviour', () => {
  it('offers a person after two misunderstandings in a row and escalates on yes', async () => {
    const chat = new Conversation(engineWith());
    const first = await chat.send(said('blah', 'out_of_scope', [], 0.9));
    expect(first[0]).toMatch(/didn't quite get that/);
    expect(chat.last.replies[0].buttons?.map((b) => b.payload)).toEqual([
      '/book_appointment',
      '/opening_hours',
      '/order_status',
    ]);
    expect(await chat.send(said('blah blah', 'book_appointment', [], 0.2))).toEqual([
      "I'm having trouble understanding. Would you like to talk to a person?",
    ]);
    await chat.send(said('/affirm', 'affirm', [], 1));
    expect(chat.last.escalation).toEqual({ reason: 'repeated_misunderstanding' });
    expect(chat.engine.summarize(chat.state).tried).toEqual([
      'Did not understand: "blah"',
      'Did not understand: "blah blah"',
    ]);
  });

  it('resets the misunderstanding count when the customer is understood', async () => {
    const chat = new Conversation(engineWith());
    await chat.send(said('blah', 'out_of_scope'));
    await chat.send(said('opening hours', 'opening_hours'));
    expect(await chat.send(said('blah', 'out_of_scope'))).toHaveLength(1);
    expect(chat.events()).toEqual(['fallback']);
  });

  it('declining the offered person keeps the conversation going and re-asks the question', async () => {
    const chat = new Conversation(engineWith());
    await chat.send(
      said('book Thursday morning', 'book_appointment', [
        ['date', '2025-06-05'],
        ['time_window', 'morning'],
      ]),
    );
    expect(await chat.send(said('hmm', 'out_of_scope'))).toEqual([
      "Sorry, I didn't quite get that. I can help with book a visit, opening hours or order status.",
      'Book 2025-06-05 in the morning?',
    ]);
    await chat.send(said('hmm', 'out_of_scope'));
    expect(chat.events()).toEqual(['fallback', 'human.offered']);
    expect(await chat.send(said('no', 'deny'))).toEqual([
      "OK, let's keep trying.",
      'Book 2025-06-05 in the morning?',
    ]);
    expect(chat.last.escalation).toBeUndefined();
    expect(await chat.send(said('yes', 'affirm'))).toEqual(['Booked, reference BK-1.']);
  });

  it('hands over on human_agent with reason customer_request and clears the stack', async () => {
    const chat = new Conversation(engineWith());
    await chat.send(said('book', 'book_appointment'));
    await chat.send(said('let me talk to a person', 'human_agent'));
    expect(chat.last.escalation).toEqual({ reason: 'customer_request' });
    expect((chat.state as JsonObject).stack).toEqual([]);
  });

  it('after a handback, records whether the customer is satisfied', async () => {
    const chat = new Conversation(engineWith());
    const replies = await chat.send({ type: 'handback', caseId: 'case-7', agentName: 'Sam' });
    expect(replies).toEqual(['Sam has handed you back to me. Did we sort everything out for you?']);
    expect(chat.last.replies[0].buttons).toEqual([
      { title: 'Yes', payload: '/affirm' },
      { title: 'No', payload: '/deny' },
    ]);
    await chat.send(said('no', 'deny'));
    expect(chat.last.events).toEqual([
      { event: 'satisfaction', data: { satisfied: false, caseId: 'case-7' } },
    ]);
  });

  it('greets on launch with the menu as buttons', async () => {
    const chat = new Conversation(engineWith());
    const [greeting] = await chat.send({ type: 'launch' });
    expect(greeting).toBe(
      'Hi! I can help with book a visit, opening hours or order status. What can I do for you?',
    );
  });
});

describe('effects that fail', () => {
  it('apologises, reports effect.failed and keeps the previous state untouched', async () => {
    const chat = new Conversation(
      engineWith({
        effects: {
          sendConfirmation: () => {
            throw new Error('smtp down');
          },
        },
      }),
    );
    await chat.send(
      said('book Thursday morning', 'book_appointment', [
        ['date', '2025-06-05'],
        ['time_window', 'morning'],
      ]),
    );
    const before = chat.state;
    expect(await chat.send(said('yes', 'affirm'))).toEqual([
      'Sorry, something went wrong on our side. Please try again in a moment.',
    ]);
    expect(chat.last.events).toEqual([
      {
        event: 'effect.failed',
        data: { effect: 'sendConfirmation', flow: 'book_appointment', state: 'booked', error: 'smtp down' },
      },
    ]);
    expect(chat.state).toEqual(before);
  });

  it('sends error to a flow that handles it', async () => {
    const chat = new Conversation(
      engineWith({
        lookups: {
          findOrder: () => Promise.reject(new Error('timeout')),
          bookVisit: () => ({}),
        },
      }),
    );
    expect(await chat.send(said('order A1001', 'order_status', [['order_number', 'A1001']]))).toEqual([
      'Our order system is not answering right now.',
    ]);
    expect(chat.events()).toContain('lookup.failed');
  });

  it('persists plain JSON that survives a store round trip mid-flow', async () => {
    const chat = new Conversation(engineWith());
    await chat.send(said('book Thursday', 'book_appointment', [['date', '2025-06-05']]));
    const stored = JSON.parse(JSON.stringify(chat.state)) as JsonValue;
    expect(stored).toEqual(chat.state);
    expect((stored as JsonObject).stack).toEqual([
      { flow: 'book_appointment', state: 'get_window', results: {}, attempts: {} },
    ]);
    chat.state = stored;
    expect(await chat.send(said('afternoon', 'out_of_scope', [['time_window', 'afternoon']], 0.2))).toEqual([
      'Book 2025-06-05 in the afternoon?',
    ]);
  });

  it('starts afresh from an unreadable persisted state', async () => {
    const engine = engineWith();
    const outcome = await engine.step({ nonsense: true }, said('hours?', 'opening_hours'), turnAt(NOW));
    expect(outcome.replies.map((reply) => reply.text)).toEqual(['We are open 9 to 5.']);
    expect(outcome.events[0]).toEqual({ event: 'dialog.state_reset' });
  });
});
