import { join } from 'node:path';
import { readArticles } from './articles';
import { createKnowledgeBase, isPersonal } from './knowledge-base';
import { isQuestion } from './question-form';

const ACME = readArticles(join(__dirname, '..', 'bots', 'acme', 'knowledge'));
const kb = createKnowledgeBase(ACME);

describe('knowledge base over acme’s help centre', () => {
  it('answers a question with the article’s own words and cites the section', async () => {
    const answer = await kb.answer({ text: 'can I pay by cheque?', locale: 'en' });
    expect(answer).toMatchObject({
      kind: 'extract',
      text: expect.stringContaining('We do not accept cheques'),
      sources: [
        {
          id: 'billing#ways-to-pay',
          title: 'Billing and payments — Ways to pay',
          url: 'https://help.acme.example/billing#ways-to-pay',
        },
      ],
    });
    expect(answer!.text.length).toBeLessThanOrEqual(320);
  });

  it('forgives a typo in a longer word', async () => {
    const answer = await kb.answer({ text: 'what does the orannge light mean on my rooter', locale: 'en' });
    expect(answer?.sources[0].id).toBe('broadband-setup#router-lights');
  });

  it('does not answer what no section answers, nor in a language it has no articles in', async () => {
    expect(await kb.answer({ text: 'what is the capital of Peru?', locale: 'en' })).toBeUndefined();
    expect(await kb.answer({ text: 'where is your head office?', locale: 'en' })).toBeUndefined();
    expect(await kb.answer({ text: '¿puedo pagar con cheque?', locale: 'es' })).toBeUndefined();
  });

  it('leaves short remarks alone, and answers only questions while a flow waits for an answer', async () => {
    expect(await kb.answer({ text: 'not sure', locale: 'en' })).toBeUndefined();
    expect(await kb.answer({ text: 'my parcel arrived damaged', locale: 'en' })).toBeDefined();
    expect(
      await kb.answer({ text: 'my parcel arrived damaged', locale: 'en', onlyQuestions: true }),
    ).toBeUndefined();
    expect(
      await kb.answer({ text: 'is my parcel damaged?', locale: 'en', onlyQuestions: true }),
    ).toBeDefined();
  });

  it('beats an intent only when the NLU is unsure of it and a section matches strongly', async () => {
    const text = 'can I get my bill by post';
    expect(
      await kb.answer({ text, locale: 'en', rival: { intent: 'check_balance', confidence: 0.7 } }),
    ).toMatchObject({
      sources: [{ id: 'billing#paper-bills' }],
    });
    expect(
      await kb.answer({ text, locale: 'en', rival: { intent: 'check_balance', confidence: 0.95 } }),
    ).toBeUndefined();
    expect(
      await kb.answer({
        text: 'paper bills cost',
        locale: 'en',
        rival: { intent: 'check_balance', confidence: 0.5 },
      }),
    ).toBeUndefined();
  });

  it('spots questions and personal data', () => {
    expect(isQuestion('How long does delivery take', 'en')).toBe(true);
    expect(isQuestion('delivery times?', 'en')).toBe(true);
    expect(isQuestion('¿cuánto cuesta el envío', 'es')).toBe(true);
    expect(isQuestion('no idea', 'en')).toBe(false);
    expect(isPersonal('my card [card number removed] was charged')).toBe(true);
    expect(isPersonal('what is my account number')).toBe(true);
    expect(isPersonal('order 1234 5678 late')).toBe(true);
    expect(isPersonal('how long does delivery take')).toBe(false);
  });
});
