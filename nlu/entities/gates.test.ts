import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import fc from 'fast-check';
import { loadBotTrainingData } from '../builtin-skills';
import { extractDates, extractPhones } from './builtin';
import { tokens } from './custom';
import { mayHaveDate, mayHavePhone } from './gates';

const now = new Date('2025-06-04T10:00:00Z');
const datesIn = (text: string, language: string) => extractDates(text, { language, now, region: 'GB' });
const gate = (text: string, language: string) => mayHaveDate(text, tokens(text), language);

// chrono's own dictionaries, read from its files: the gate's word lists must cover them.
const require = createRequire(__filename);
const chronoRoot = dirname(require.resolve('chrono-node'));
const dictionaries = (language: string, names = ['WEEKDAY_DICTIONARY', 'MONTH_DICTIONARY']): string[] => {
  const constants = require(join(chronoRoot, 'locales', language, 'constants.js')) as Record<
    string,
    Record<string, unknown>
  >;
  return names.flatMap((name) => Object.keys(constants[name] ?? {}));
};

describe('the date gate (chrono runs only where it may find something)', () => {
  it('lets through a Spanish number with an hour glued on, which chrono reads as a time', () => {
    for (const text of ['dosh ', 'seish', 'unah a las', 'doceh']) {
      expect([text, datesIn(text, 'es').length > 0, gate(text, 'es')]).toEqual([text, true, true]);
    }
    expect(gate('gracias', 'es')).toBe(false);
  });

  it.each(['en', 'es'])(
    'never skips a message of the demo bot (%s) in which chrono finds a date',
    async (language) => {
      const data = await loadBotTrainingData('bots/acme/nlu');
      const texts = data.examples.filter((e) => e.language === language).map((e) => e.text);
      const missed = texts.filter((t) => !gate(t, language) && datesIn(t, language).length > 0);
      expect(missed).toEqual([]);
      // ...and does skip most of them: the point of the gate.
      const skipped = texts.filter((t) => !gate(t, language));
      expect(skipped.length).toBeGreaterThan(texts.length / 2);
    },
  );

  it.each(['en', 'es'])('covers every weekday, month and time unit chrono knows in %s', (language) => {
    for (const word of dictionaries(language)) {
      expect([word, gate(word, language)]).toEqual([word, true]);
      expect([word, gate(`next${word} please`, language)]).toEqual([word, true]);
    }
    // A time unit is a date after a number word ("a d", "un mes"), and after "next" in English.
    const number = language === 'en' ? 'a' : 'un';
    for (const unit of dictionaries(language, ['TIME_UNIT_DICTIONARY'])) {
      expect([unit, gate(`in ${number} ${unit}`, language)]).toEqual([unit, true]);
      if (language === 'en') expect([unit, gate(`next ${unit}`, language)]).toEqual([unit, true]);
    }
  });

  it('skips everyday messages and keeps the ones with a date', () => {
    expect(['thanks', 'yes please', 'I need an engineer visit', 'bye'].map((t) => gate(t, 'en'))).toEqual([
      false,
      false,
      false,
      false,
    ]);
    expect(['hola', 'gracias', 'sí por favor'].map((t) => gate(t, 'es'))).toEqual([false, false, false]);
    expect(
      ['tomorrow morning', 'nextmonday', 'in a couple of hrs', 'the money', 'half and half'].every((t) =>
        gate(t, 'en'),
      ),
    ).toBe(true);
    expect(['mañana por la tarde', 'el próximo sábado', 'en una h'].every((t) => gate(t, 'es'))).toBe(true);
  });

  // Sentences built from chrono's vocabulary, number words, glue and ordinary words, joined with and
  // without spaces: wherever chrono finds a date, the gate must have said "maybe".
  const vocabulary: Record<string, string[]> = {
    en: [
      ...dictionaries('en', ['WEEKDAY_DICTIONARY', 'MONTH_DICTIONARY', 'TIME_UNIT_DICTIONARY']),
      ...'now today tonight tomorrow tmrw yesterday last night morning afternoon evening noon midnight weekend weekday'.split(
        ' ',
      ),
      ...'a an the few several couple of half one two twelve in within for about around this next past after ago later from end'.split(
        ' ',
      ),
      ...'money honey house order my please help and any them shop why yes account quick'.split(' '),
    ],
    es: [
      ...dictionaries('es', ['WEEKDAY_DICTIONARY', 'MONTH_DICTIONARY', 'TIME_UNIT_DICTIONARY']),
      ...'ahora hoy mañana manana ayer tarde noche medianoche mediodía esta este próximo pasado'.split(' '),
      ...'un una unos algunos dos tres en por durante de dentro la el'.split(' '),
      ...'dinero casa pedido ayuda mi sí cuenta hola gracias'.split(' '),
    ],
  };
  it.each(['en', 'es'])('agrees with chrono on generated %s sentences', (language) => {
    const sentence = fc
      .array(
        fc.tuple(fc.constantFrom(...vocabulary[language]), fc.constantFrom(' ', ' ', ' ', '', ', ', '. ')),
        { minLength: 1, maxLength: 6 },
      )
      .map((parts) => parts.map(([w, sep]) => w + sep).join(''));
    fc.assert(
      fc.property(sentence, (text) => {
        if (datesIn(text, language).length > 0) expect([text, gate(text, language)]).toEqual([text, true]);
      }),
      { numRuns: process.env.CI ? 1_000 : 4_000 },
    );
  });
});

describe('the phone gate', () => {
  it('finds phone numbers only where there are digits, in any script', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 40 }), (text) => {
        if (!mayHavePhone(text)) expect(extractPhones(text, 'GB')).toEqual([]);
      }),
      { numRuns: 2_000 },
    );
    expect(mayHavePhone('call ０７９１１ １２３４５６')).toBe(true);
    expect(extractPhones('call ０７９１１ １２３４５６', 'GB').length).toBe(1);
    expect(mayHavePhone('call me please')).toBe(false);
  });
});
