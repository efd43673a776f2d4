import { join } from 'node:path';
import type { DialogTurnInfo } from '../../core/dialog';
import { createMessageCatalogue } from '../../core/messages';
import { formatIssue, loadDialogEngine } from '..';
import { parseFlow } from '../flow-loader';
import { checkFlows } from '../flow-checks';
import { said } from '../../test/support/nlu-fixtures';

const NOW = Date.UTC(2025, 5, 2, 9, 0);
const turn = (locale: string): DialogTurnInfo => ({
  conversationId: 'c1',
  customerId: 'cust-1',
  channel: 'test',
  locale,
  now: NOW,
});

function engine() {
  return loadDialogEngine({
    flowsDir: join(__dirname, 'fixtures/localized'),
    implementations: {},
    options: { intents: ['opening_hours', 'help'] },
    messages: createMessageCatalogue([
      {
        en: { 'engine.help': 'I can help with {menu}.' },
        es: { 'engine.help': 'Puedo ayudarte con {menu}.' },
      },
    ]),
  });
}

describe('flow texts per locale and per channel form', () => {
  const state = { v: 1, stack: [], slots: { visit: '2025-06-05T00:00:00.000Z' }, log: [], misunderstood: 0 };

  it('says the locale the turn is in, with its voice and SMS forms, and formats dates in it', async () => {
    const en = await engine().step(state, said('when are you open', 'opening_hours'), turn('en'));
    expect(en.replies[0]).toEqual({
      from: 'bot',
      text: "We're open 9 to 5. Your visit is on Thursday 5 June.",
      speech: `<speak>We're open <say-as interpret-as="time">9am</say-as> to 5.</speak>`,
      short: 'Open 9-5',
    });
    const es = await engine().step(state, said('¿cuándo abrís?', 'opening_hours'), turn('es-MX'));
    expect(es.replies[0]).toEqual({
      from: 'bot',
      text: 'Abrimos de 9 a 5. Tu visita es el jueves, 5 de junio.',
    });
  });

  it('falls back to the default locale for a locale the flow lacks, and plain strings are that locale', async () => {
    const de = await engine().step(state, said('Öffnungszeiten', 'opening_hours'), turn('de'));
    expect(de.replies.map((reply) => reply.text)).toEqual([
      "We're open 9 to 5. Your visit is on Donnerstag, 5. Juni.",
      'Plain text is in the default locale.',
    ]);
  });

  it("the engine's own sentences and menu titles follow the catalogue and the flow's titles", async () => {
    const es = await engine().step(undefined, said('ayuda', 'help'), turn('es'));
    expect(es.replies[0].text).toBe('Puedo ayudarte con horario.');
    expect(es.replies[0].buttons).toEqual([{ title: 'Horario', payload: '/opening_hours' }]);
  });
});

describe('validation of localized texts', () => {
  const source = [
    'id: greet',
    'title: { es: Saludo }',
    'initial: hello',
    'states:',
    '  hello:',
    '    type: final',
    '    entry:',
    '      - say:',
    '          es: Hola {name}',
    '          fr: { voice: Bonjour }',
  ].join('\n');

  it('reports a missing default-locale text and a form without text, each with file:line', () => {
    const parsed = parseFlow('greet.flow.yaml', source);
    expect(parsed.issues.map(formatIssue)).toEqual([
      'greet.flow.yaml:8 states.hello.entry[0]: invalid "say" effect',
    ]);
    const fixed = parseFlow(
      'greet.flow.yaml',
      source.replace('fr: { voice: Bonjour }', 'fr: { text: Salut, voice: Bonjour }'),
    );
    const flow = fixed.flow;
    if (!flow) throw new Error(fixed.issues.map(formatIssue).join('\n'));
    const issues = checkFlows([flow], { implementations: {}, defaultLocale: 'en' }).map(formatIssue);
    expect(issues).toEqual([
      'greet.flow.yaml:2 title: no title for the default locale "en"',
      'greet.flow.yaml:8 states.hello.entry[0].say: no text for the default locale "en"',
      'greet.flow.yaml:9 states.hello.entry[0].say.es: unknown slot or look-up result "{name}"',
    ]);
    expect(checkFlows([flow], { implementations: {}, defaultLocale: 'es' }).map(formatIssue)).toEqual([
      'greet.flow.yaml:9 states.hello.entry[0].say.es: unknown slot or look-up result "{name}"',
    ]);
  });
});
