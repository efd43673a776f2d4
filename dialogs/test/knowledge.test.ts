import { join } from 'node:path';
import type { DialogInput, DialogOutcome } from '../../core/dialog';
import type { JsonValue } from '../../core/json';
import type { KnowledgeBase, KnowledgeQuestion } from '../../core/knowledge';
import { loadDialogEngine, type FlowDialogEngine } from '..';
import { said, turnAt } from '../../test/support/nlu-fixtures';

const NOW = Date.UTC(2025, 5, 2, 9, 0);

/** A help centre that knows one answer, and records every question the engine put to it. */
function helpCentre(): KnowledgeBase & { asked: KnowledgeQuestion[] } {
  const asked: KnowledgeQuestion[] = [];
  return {
    asked,
    async answer(question) {
      asked.push(question);
      if (!/cheque/.test(question.text)) return undefined;
      if (question.rival && question.rival.confidence >= 0.8) return undefined;
      return {
        kind: 'extract',
        text: 'We do not accept cheques or cash.',
        score: 0.9,
        sources: [
          {
            id: 'billing#ways-to-pay',
            title: 'Billing — Ways to pay',
            url: 'https://help.example/billing#ways-to-pay',
          },
        ],
      };
    },
  };
}

function engineWith(knowledge: KnowledgeBase): FlowDialogEngine {
  return loadDialogEngine({
    flowsDir: join(__dirname, 'fixtures/flows'),
    implementations: {
      lookups: { findOrder: (): JsonValue => ({ found: true, status: 'shipped' }), bookVisit: () => ({}) },
      effects: { sendConfirmation: () => undefined },
      guards: { orderFound: () => true },
      validators: { orderNumber: (value) => typeof value === 'string' && /^[A-Z]\d{4}$/.test(value) },
    },
    options: {
      intents: ['order_status', 'opening_hours', 'book_appointment', 'goodbye', 'affirm', 'deny'],
      knowledge,
    },
  });
}

class Conversation {
  state: JsonValue | undefined;
  last!: DialogOutcome;
  constructor(readonly engine: FlowDialogEngine) {}
  async send(input: DialogInput): Promise<DialogOutcome> {
    this.last = await this.engine.step(this.state, input, turnAt(NOW));
    this.state = this.last.state;
    return this.last;
  }
}

describe('answers from the knowledge base', () => {
  it('answers what no flow takes, citing the section, instead of the fallback', async () => {
    const kb = helpCentre();
    const chat = new Conversation(engineWith(kb));
    const outcome = await chat.send(said('can I pay by cheque?', 'out_of_scope', [], 0.3));
    expect(outcome.replies).toEqual([
      {
        text: 'We do not accept cheques or cash.',
        from: 'bot',
        cards: [{ title: 'Billing — Ways to pay', url: 'https://help.example/billing#ways-to-pay' }],
      },
    ]);
    expect(outcome.events).toEqual([
      {
        event: 'knowledge.answered',
        data: { sources: ['billing#ways-to-pay'], kind: 'extract', score: 0.9 },
      },
    ]);
    expect(kb.asked).toEqual([{ text: 'can I pay by cheque?', locale: 'en' }]);
  });

  it('falls back as before when the help centre has no answer, and counts the misunderstanding', async () => {
    const chat = new Conversation(engineWith(helpCentre()));
    const outcome = await chat.send(said('blah blah', 'out_of_scope', [], 0.2));
    expect(outcome.events.map((e) => e.event)).toEqual(['fallback']);
  });

  it('answers a question in the middle of a flow, then asks the flow’s question again', async () => {
    const kb = helpCentre();
    const chat = new Conversation(engineWith(kb));
    await chat.send(said('where is my order', 'order_status'));
    const outcome = await chat.send(said('can I pay by cheque?', 'out_of_scope', [], 0.3));
    expect(outcome.replies.map((r) => r.text)).toEqual([
      'We do not accept cheques or cash.',
      'What is your order number?',
    ]);
    expect(kb.asked.at(-1)).toEqual({ text: 'can I pay by cheque?', locale: 'en', onlyQuestions: true });
    const done = await chat.send(said('A1001', 'out_of_scope', [['order_number', 'A1001']], 0.3));
    expect(done.replies.map((r) => r.text)).toEqual(['Order A1001 is shipped.']);
  });

  it('offers an intent the NLU found to the help centre as a rival, which the flow keeps when sure', async () => {
    const kb = helpCentre();
    const unsure = new Conversation(engineWith(kb));
    const answered = await unsure.send(said('cheque for my order?', 'order_status', [], 0.6));
    expect(answered.replies.map((r) => r.text)).toEqual(['We do not accept cheques or cash.']);
    expect(kb.asked.at(-1)).toMatchObject({ rival: { intent: 'order_status', confidence: 0.6 } });

    const sure = new Conversation(engineWith(kb));
    const flow = await sure.send(said('cheque for my order?', 'order_status', [], 0.95));
    expect(flow.replies.map((r) => r.text)).toEqual(['What is your order number?']);
  });
});
