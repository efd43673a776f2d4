import { join } from 'node:path';
import type { CustomerSituation } from '../../core/customer-context';
import type { DialogInput, DialogOutcome } from '../../core/dialog';
import type { JsonValue } from '../../core/json';
import type { Stores } from '../../core/ports';
import type { ConsentPurpose } from '../../core/privacy';
import { createMemoryStores } from '../../stores/memory';
import { flushAllKeys } from '../../stores/redis/inspect';
import { createRedisStores } from '../../stores/redis';
import { said, turnAt } from '../../test/support/nlu-fixtures';
import { startRedisServer, type RedisServer } from '../../test/support/redis-server';
import { loadDialogEngine, type DialogImplementations, type FlowDialogEngine } from '..';

const NOW = Date.UTC(2025, 5, 2, 9, 0); // Monday 2 June 2025
const RETENTION_MS = 60 * 60 * 1000;
const ORDERS: Record<string, string> = { A1001: 'shipped', A1002: 'processing' };
const INTENTS = [
  'order_status',
  'book_appointment',
  'check_bill',
  'make_payment',
  'opening_hours',
  'check_postcode',
  'greet',
  'repeat',
  'affirm',
  'deny',
];

interface Personalisation {
  situation?: CustomerSituation;
  consents?: ConsentPurpose[];
}

function implementations(personal: Personalisation = {}): DialogImplementations {
  const looked: string[] = [];
  return {
    lookups: {
      findOrder: ({ slots }): JsonValue => {
        const status = ORDERS[String(slots.order_number)];
        return status ? { found: true, status } : { found: false };
      },
    },
    guards: {
      orderFound: ({ data }) =>
        typeof data === 'object' && data !== null && !Array.isArray(data) && data.found === true,
    },
    validators: { orderNumber: (value) => typeof value === 'string' && /^[A-Z]\d{4}$/.test(value) },
    customerContext: {
      situation: async ({ customerId }) => {
        looked.push(customerId);
        return personal.situation;
      },
    },
    consentLedger: {
      history: async (customerId) =>
        (personal.consents ?? []).map((purpose) => ({
          customerId,
          purpose,
          granted: true,
          at: 0,
          wordingVersion: 'test.v1',
        })),
      record: async () => {},
    },
  };
}

function engineWith(personal?: Personalisation): FlowDialogEngine {
  return loadDialogEngine({
    flowsDir: join(__dirname, 'fixtures/repair'),
    implementations: implementations(personal),
    options: { intents: INTENTS },
  });
}

/** A message whose NLU ranking is given in full: for near ties. */
function ranked(text: string, ranking: Array<[string, number]>): DialogInput {
  const intent_ranking = ranking.map(([name, confidence]) => ({ name, confidence }));
  return {
    type: 'user',
    text,
    nlu: { text, intent: intent_ranking[0], intent_ranking, entities: [], locale: 'en' },
  };
}

const VISIT: CustomerSituation = {
  verified: true,
  activities: [{ kind: 'engineer_visit', startedBy: 'customer', facts: { date: '2025-06-03' } }],
};

describe.each(['memory', 'redis'] as const)('conversation repair (%s store)', (kind) => {
  let redis: RedisServer | undefined;
  let stores: Stores;
  let conversations = 0;

  beforeAll(async () => {
    if (kind === 'redis') redis = await startRedisServer();
  }, 30_000);

  beforeEach(async () => {
    const clock = { now: () => NOW };
    if (redis) await flushAllKeys(redis.url);
    stores = redis
      ? await createRedisStores({ url: redis.url, retentionMs: RETENTION_MS, clock })
      : createMemoryStores({ retentionMs: RETENTION_MS, clock });
  });

  afterEach(async () => stores.close());
  afterAll(async () => redis?.stop());

  /** One conversation whose dialog state goes through the store between turns, as the pipeline's does. */
  class Conversation {
    readonly id = `c${(conversations += 1)}`;
    last!: DialogOutcome;
    constructor(readonly engine: FlowDialogEngine) {}

    async send(input: DialogInput): Promise<string[]> {
      const stored = await stores.conversations.get(this.id);
      this.last = await this.engine.step(stored?.dialog, input, turnAt(NOW, this.id));
      await stores.conversations.put({
        conversationId: this.id,
        customerId: 'cust-1',
        dialog: this.last.state,
        updatedAt: NOW,
      });
      return this.last.replies.map((reply) => reply.text);
    }

    events(): string[] {
      return this.last.events.map((event) => event.event);
    }
  }

  describe('slot filling', () => {
    it('handles another intent as a digression, then asks the slot again', async () => {
      const chat = new Conversation(engineWith());
      await chat.send(said('where is my order', 'order_status'));
      expect(await chat.send(said('when are you open', 'opening_hours'))).toEqual([
        'We are open 9 to 5.',
        'What is your order number?',
      ]);
      expect(await chat.send(said('A1002', 'out_of_scope', [['order_number', 'A1002']], 0.3))).toEqual([
        'Order A1002 is processing.',
      ]);
    });

    it('answers an out-of-scope question with the fallback and asks the slot again, counting no attempt', async () => {
      const chat = new Conversation(engineWith());
      await chat.send(said('where is my order', 'order_status'));
      const replies = await chat.send(said('is it going to rain?', 'out_of_scope', [], 0.2));
      expect(replies).toEqual([
        expect.stringMatching(/^Sorry, I didn't quite get that/),
        'What is your order number?',
      ]);
      expect(chat.events()).toEqual(['fallback']);
      // Only then is an answer a bad value: three of them exhaust the slot, the question did not count.
      expect(await chat.send(said('the blue one', 'out_of_scope', [], 0.2))).toEqual([
        'Order numbers look like A1001. What is yours?',
      ]);
      expect(chat.last.events[0].data).toEqual({ flow: 'order_status', slot: 'order_number', attempts: 1 });
    });

    it('treats an out-of-scope question as a bad value when the flow says `outOfScope: reprompt`', async () => {
      const chat = new Conversation(engineWith());
      await chat.send(said('check my postcode', 'check_postcode'));
      expect(await chat.send(said('what is the weather?', 'out_of_scope', [], 0.2))).toEqual([
        'A postcode looks like SW1A 1AA.',
      ]);
    });

    it('keeps the customer in a flow with `digressions: false`', async () => {
      const chat = new Conversation(engineWith());
      await chat.send(said('check my postcode', 'check_postcode'));
      expect(await chat.send(said('when are you open', 'opening_hours'))).toEqual([
        'A postcode looks like SW1A 1AA.',
      ]);
    });

    it('counts failed look-ups and bad values as attempts alike, then offers a person', async () => {
      const chat = new Conversation(engineWith());
      expect(await chat.send(said('order A9999', 'order_status', [['order_number', 'A9999']]))).toEqual([
        "I can't find order A9999.",
        'What is your order number?',
      ]);
      expect(await chat.send(said('dunno', 'out_of_scope', [], 0.2))).toEqual([
        'Order numbers look like A1001. What is yours?',
      ]);
      expect(await chat.send(said('A9998', 'out_of_scope', [['order_number', 'A9998']], 0.3))).toEqual([
        "I can't find order A9998.",
        'Shall I pass you to a colleague?',
      ]);
      expect(chat.events()).toContain('slot.exhausted');
    });
  });

  describe('corrections', () => {
    it('changes a filled slot on "no, make it Thursday" and asks the pending question with it', async () => {
      const chat = new Conversation(engineWith());
      await chat.send(
        said('book Wednesday morning', 'book_appointment', [
          ['date', '2025-06-04', 'Wednesday'],
          ['time_window', 'morning'],
        ]),
      );
      const replies = await chat.send(
        said('no, make it Thursday', 'deny', [['date', '2025-06-05', 'Thursday']]),
      );
      expect(replies).toEqual(['Book 2025-06-05 in the morning?']);
      expect(chat.last.events).toContainEqual({
        event: 'slot.corrected',
        data: { flow: 'book_appointment', slot: 'date', value: '2025-06-05' },
      });
      expect(await chat.send(said('yes', 'affirm'))).toEqual(['Booked 2025-06-05 in the morning.']);
    });

    it('picks the new value of two: "no, the 14th, not the 4th"', async () => {
      const chat = new Conversation(engineWith());
      await chat.send(said('book the 4th', 'book_appointment', [['date', '2025-06-04', 'the 4th']]));
      await chat.send(said('afternoon', 'out_of_scope', [['time_window', 'afternoon']], 0.3));
      const replies = await chat.send(
        said('no, the 14th, not the 4th', 'deny', [
          ['date', '2025-06-14', 'the 14th'],
          ['date', '2025-06-04', 'the 4th'],
        ]),
      );
      expect(replies).toEqual(['Book 2025-06-14 in the afternoon?']);
    });

    it("changes a slot at another slot's question without moving that question", async () => {
      const chat = new Conversation(engineWith());
      await chat.send(said('book Wednesday', 'book_appointment', [['date', '2025-06-04', 'Wednesday']]));
      expect(
        await chat.send(said('actually Friday', 'out_of_scope', [['date', '2025-06-06', 'Friday']], 0.3)),
      ).toEqual(['Morning or afternoon?']);
      expect(await chat.send(said('morning', 'out_of_scope', [['time_window', 'morning']], 0.3))).toEqual([
        'Book 2025-06-06 in the morning?',
      ]);
    });

    it('sends `corrected` to a state that handles it: "actually it\'s order A1002" after a person was offered', async () => {
      const chat = new Conversation(engineWith());
      await chat.send(said('order A9999', 'order_status', [['order_number', 'A9999']]));
      await chat.send(said('A9998', 'out_of_scope', [['order_number', 'A9998']], 0.3));
      await chat.send(said('A9997', 'out_of_scope', [['order_number', 'A9997']], 0.3));
      expect(chat.last.replies.at(-1)?.text).toBe('Shall I pass you to a colleague?');
      expect(
        await chat.send(said("actually it's order A1002", 'order_status', [['order_number', 'A1002']])),
      ).toEqual(['Order A1002 is processing.']);
    });

    it('without a correction word, a value at another question does not move a filled slot', async () => {
      const chat = new Conversation(engineWith());
      await chat.send(said('book Wednesday', 'book_appointment', [['date', '2025-06-04', 'Wednesday']]));
      await chat.send(
        said(
          'Friday morning',
          'out_of_scope',
          [
            ['date', '2025-06-06'],
            ['time_window', 'morning'],
          ],
          0.3,
        ),
      );
      expect(chat.last.replies.map((reply) => reply.text)).toEqual(['Book 2025-06-04 in the morning?']);
    });

    it('ignores corrections in a flow with `corrections: false`', async () => {
      const chat = new Conversation(engineWith());
      await chat.send(said('check SW1A 1AA', 'check_postcode', [['postcode', 'SW1A 1AA']]));
      expect(await chat.send(said('no, make it M1 1AE', 'deny', [['postcode', 'M1 1AE']]))).toEqual([
        'Checked.',
      ]);
      expect(chat.events()).not.toContain('slot.corrected');
    });
  });

  describe('clarification', () => {
    it('asks which of two nearly tied intents with buttons, and the answer picks the flow', async () => {
      const chat = new Conversation(engineWith());
      const replies = await chat.send(
        ranked('question about my bill payment', [
          ['check_bill', 0.48],
          ['make_payment', 0.41],
          ['greet', 0.05],
        ]),
      );
      expect(replies).toEqual(['Do you mean your bill or a payment?']);
      expect(chat.last.replies[0].buttons).toEqual([
        { title: 'Your bill', payload: '/check_bill' },
        { title: 'Payments', payload: '/make_payment' },
      ]);
      expect(await chat.send(said('/make_payment', 'make_payment', [], 1))).toEqual([
        'How much would you like to pay?',
      ]);
      expect(chat.events()).toEqual(['intent.clarified', 'flow.started']);
    });

    it("keeps the unclear message's entities for the flow picked", async () => {
      const chat = new Conversation(engineWith());
      const unclear = ranked('pay 20 on my bill', [
        ['make_payment', 0.5],
        ['check_bill', 0.45],
      ]);
      if (unclear.type === 'user')
        unclear.nlu.entities = [{ entity: 'number', value: 20, text: '20', start: 4, end: 6 }];
      await chat.send(unclear);
      expect(await chat.send(said('a payment', 'make_payment'))).toEqual(['Paid 20.']);
    });

    it('does not ask when one intent is clearly ahead, or when a flow opts out', async () => {
      const clear = new Conversation(engineWith());
      expect(
        await clear.send(
          ranked('my bill', [
            ['check_bill', 0.7],
            ['make_payment', 0.25],
          ]),
        ),
      ).toEqual(['Your bill is £20.']);
      const optedOut = new Conversation(engineWith());
      expect(
        await optedOut.send(
          ranked('postcode bill', [
            ['check_bill', 0.5],
            ['check_postcode', 0.45],
          ]),
        ),
      ).toEqual(['Your bill is £20.']);
    });

    it('handles an answer that picks neither as a message of its own', async () => {
      const chat = new Conversation(engineWith());
      await chat.send(
        ranked('bill payment', [
          ['check_bill', 0.45],
          ['make_payment', 0.44],
        ]),
      );
      expect(await chat.send(said('when are you open', 'opening_hours'))).toEqual(['We are open 9 to 5.']);
    });
  });

  describe('say that again', () => {
    it('repeats the last thing the bot said, from the stored state', async () => {
      const chat = new Conversation(engineWith());
      await chat.send(said('where is my order', 'order_status'));
      expect(await chat.send(said('say that again', 'repeat'))).toEqual(['What is your order number?']);
      expect(chat.events()).toEqual(['replies.repeated']);
    });
  });

  describe('a value from earlier in the conversation', () => {
    async function afterFirstOrder(): Promise<Conversation> {
      const chat = new Conversation(engineWith());
      await chat.send(said('where is order A1001', 'order_status', [['order_number', 'A1001']]));
      expect(chat.last.replies.map((reply) => reply.text)).toEqual(['Order A1001 is shipped.']);
      expect(await chat.send(said('where is my order', 'order_status'))).toEqual([
        'Shall I use A1001 again?',
      ]);
      expect(chat.last.replies[0].buttons?.map((button) => button.payload)).toEqual(['/affirm', '/deny']);
      return chat;
    }

    it('is confirmed before reuse, and yes reuses it', async () => {
      const chat = await afterFirstOrder();
      expect(await chat.send(said('yes', 'affirm'))).toEqual(['Order A1001 is shipped.']);
    });

    it('is asked for again on no', async () => {
      const chat = await afterFirstOrder();
      expect(await chat.send(said('no', 'deny'))).toEqual(['What is your order number?']);
      expect(await chat.send(said('A1002', 'out_of_scope', [['order_number', 'A1002']], 0.3))).toEqual([
        'Order A1002 is processing.',
      ]);
    });

    it('is replaced by another value given as the answer', async () => {
      const chat = await afterFirstOrder();
      expect(await chat.send(said('no, A1002', 'deny', [['order_number', 'A1002']]))).toEqual([
        'Order A1002 is processing.',
      ]);
    });

    it('is not confirmed when this flow took it from an earlier message', async () => {
      const chat = new Conversation(engineWith());
      await chat.send(said('book a visit', 'book_appointment'));
      // "morning" at the day question: the window is kept for later, the day asked again.
      await chat.send(said('morning', 'out_of_scope', [['time_window', 'morning']], 0.3));
      expect(await chat.send(said('Wednesday', 'out_of_scope', [['date', '2025-06-04']], 0.3))).toEqual([
        'Book 2025-06-04 in the morning?',
      ]);
    });

    it('asks again if the customer talks about something else first', async () => {
      const chat = await afterFirstOrder();
      expect(await chat.send(said('when are you open', 'opening_hours'))).toEqual([
        'We are open 9 to 5.',
        'Shall I use A1001 again?',
      ]);
    });

    it('is not confirmed when it came in this very message', async () => {
      const chat = new Conversation(engineWith());
      await chat.send(said('where is order A1001', 'order_status', [['order_number', 'A1001']]));
      expect(await chat.send(said('and A1002?', 'order_status', [['order_number', 'A1002']]))).toEqual([
        'Order A1002 is processing.',
      ]);
    });
  });

  describe('empty messages', () => {
    it('are ignored: no reply, no misunderstanding, the question still pending', async () => {
      const chat = new Conversation(engineWith());
      await chat.send(said('where is my order', 'order_status'));
      const before = await stores.conversations.get(chat.id);
      expect(await chat.send(said('   ', 'out_of_scope', [], 0))).toEqual([]);
      expect(chat.events()).toEqual(['message.empty']);
      expect(chat.last.state).toEqual(before?.dialog);
      expect(await chat.send(said('A1001', 'out_of_scope', [['order_number', 'A1001']], 0.3))).toEqual([
        'Order A1001 is shipped.',
      ]);
    });

    it('nudge with the pending question in a flow with `empty: nudge`', async () => {
      const chat = new Conversation(engineWith());
      await chat.send(said('check my postcode', 'check_postcode'));
      expect(await chat.send(said('', 'out_of_scope', [], 0))).toEqual(['What is your postcode?']);
      expect(chat.events()).toContain('message.empty');
    });
  });

  describe('context-first personalisation', () => {
    it('opens with a hypothesis for a verified customer with consent; yes starts the flow', async () => {
      const chat = new Conversation(engineWith({ situation: VISIT, consents: ['personalisation'] }));
      expect(await chat.send({ type: 'launch' })).toEqual([
        "I can see an engineer visit booked for 2025-06-03. Is that why you're here?",
      ]);
      expect(await chat.send(said('yes', 'affirm'))).toEqual(['Your engineer comes on 2025-06-03.']);
    });

    it('says no more on no, and never asks again in the conversation', async () => {
      const chat = new Conversation(engineWith({ situation: VISIT, consents: ['personalisation'] }));
      await chat.send(said('hi', 'greet'));
      expect(chat.events()).toEqual(['personalisation.offered']);
      expect(await chat.send(said('no', 'deny'))).toEqual([
        expect.stringMatching(/^No problem\. I can help with/),
      ]);
      await chat.send(said('hello', 'greet'));
      expect(chat.last.replies[0].text).toMatch(/^Hello!/);
    });

    it('says nothing personal to an unverified customer', async () => {
      const chat = new Conversation(
        engineWith({ situation: { ...VISIT, verified: false }, consents: ['personalisation'] }),
      );
      expect((await chat.send({ type: 'launch' }))[0]).toMatch(/^Hi! I can help with/);
      expect(chat.last.events).toContainEqual({
        event: 'personalisation.skipped',
        data: { reason: 'unverified' },
      });
    });

    it('does not even read the records without consent for personalisation', async () => {
      const impl = implementations({ situation: VISIT, consents: ['analytics'] });
      const situation = jest.spyOn(impl.customerContext!, 'situation');
      const engine = loadDialogEngine({
        flowsDir: join(__dirname, 'fixtures/repair'),
        implementations: impl,
        options: { intents: INTENTS },
      });
      const chat = new Conversation(engine);
      expect((await chat.send({ type: 'launch' }))[0]).toMatch(/^Hi! I can help with/);
      expect(chat.last.events).toContainEqual({
        event: 'personalisation.skipped',
        data: { reason: 'no_consent' },
      });
      expect(situation).not.toHaveBeenCalled();
    });

    it('never names an activity the customer did not start', async () => {
      const byBusiness = {
        verified: true,
        activities: [{ kind: 'engineer_visit', startedBy: 'business', facts: { date: '2025-06-03' } }],
      } as unknown as CustomerSituation;
      const chat = new Conversation(engineWith({ situation: byBusiness, consents: ['personalisation'] }));
      expect((await chat.send({ type: 'launch' }))[0]).toMatch(/^Hi! I can help with/);
    });
  });
});
