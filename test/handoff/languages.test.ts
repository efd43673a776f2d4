import { createRuntime } from '../../app/runtime';
import type { Message } from '../../core/message';
import type { NluParser } from '../../core/nlu';
import { createCaseService } from '../../handoff/case-service';
import { loadMessages } from '../../locales/load';
import { createMemoryStores } from '../../stores/memory';
import { silentLogger } from '../../stores/silent-logger';
import { kitDialog, kitNlu } from './support/desk-kit';

/** The kit's NLU, understanding "humano" as a request for a person in Spanish. */
const spanishNlu: NluParser = {
  async parse(text, options) {
    const result = await kitNlu.parse(text.replace(/^humano$/, 'human'), options);
    return { ...result, text, locale: 'es' };
  },
};

describe('hand-over sentences follow the conversation language', () => {
  it('a Spanish customer is told in Spanish that the case opened, who joined, and that it closed', async () => {
    let now = 1_700_000_000_000;
    const clock = { now: () => now };
    const stores = createMemoryStores({ retentionMs: 3_600_000, clock });
    const messages = loadMessages({
      overrides: { es: { 'handoff.closed': '{agent} ha terminado. ¡Hasta pronto!' } },
    });
    const runtime = createRuntime({
      stores,
      nlu: spanishNlu,
      dialog: kitDialog,
      redact: (text) => ({ text, redactions: [] }),
      logger: silentLogger,
      clock,
      messages,
    });
    const cases = createCaseService({
      stores,
      delivery: runtime,
      clock,
      logger: silentLogger,
      companyName: 'Acme',
      messages,
    });
    const message = (text: string, id: string): Message => ({
      channel: 'webchat',
      channelUserId: 'ana',
      conversationId: 'conv-es',
      messageId: id,
      kind: 'text',
      text,
      timestamp: (now += 1000),
    });
    try {
      const opened = await runtime.handle(message('humano', 'm1'));
      expect(opened.map((reply) => reply.text)).toContain(messages.text('es', 'handoff.opened'));
      const queued = await runtime.handle(message('¿hola?', 'm2'));
      expect(queued.map((reply) => reply.text)).toEqual([
        'Gracias, lo he añadido a tu caso. Un compañero te responderá aquí en breve.',
      ]);
      const pushed: string[] = [];
      const stop = await runtime.onPush('conv-es', (reply) => pushed.push(reply.text));
      const [item] = await stores.cases.list({ status: 'queued' });
      const sam = { username: 'sam', name: 'Sam' };
      await cases.claim(item.id, sam);
      await cases.resolve(item.id, sam, { handBack: false });
      await stop();
      // The definition's override wins over the framework's Spanish sentence.
      expect(pushed).toEqual(['Ahora hablas con Sam, de Acme.', 'Sam ha terminado. ¡Hasta pronto!']);
    } finally {
      await runtime.close();
    }
  });
});
