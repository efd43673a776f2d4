import { EntityExtractor, extractEntities, type EntityContext, type EntityDefinition } from '.';

const now = new Date('2025-06-04T10:00:00Z'); // a Wednesday; tests run with TZ=UTC
const definitions: EntityDefinition[] = [
  { name: 'order_number', pattern: '\\b[Aa]\\d{4}\\b', case: 'upper' },
  { name: 'account_number', pattern: '\\b\\d{8}\\b' },
  { name: 'time_window', language: 'en', synonyms: { morning: ['first thing'], afternoon: ['after lunch'] } },
];
const en: EntityContext = { language: 'en', now, region: 'GB' };
const values = (text: string, context = en) =>
  extractEntities(text, definitions, context).map((e) => [e.entity, e.value, text.slice(e.start, e.end)]);

describe('entity extraction', () => {
  it('normalises relative dates to ISO dates and times', () => {
    expect(values('next Tuesday at 3pm')).toEqual([
      ['datetime', '2025-06-10T15:00:00Z', 'next Tuesday at 3pm'],
    ]);
    expect(values('tomorrow')).toEqual([['datetime', '2025-06-05', 'tomorrow']]);
  });

  it('reads a bare day of the month as the next such day ("no, the 14th, not the 4th")', () => {
    expect(values('no, the 14th, not the 4th')).toEqual([
      ['datetime', '2025-06-14', 'the 14th'],
      ['datetime', '2025-06-04', 'the 4th'],
    ]);
    // The 1st has passed this month: the next one.
    expect(values('the 1st please')).toEqual([['datetime', '2025-07-01', 'the 1st']]);
    expect(values('the 3rd of July')).toEqual([['datetime', '2025-07-03', '3rd of July']]);
  });

  it('keeps a time window beside the date it qualifies', () => {
    expect(values('tomorrow morning')).toEqual([
      ['datetime', '2025-06-05', 'tomorrow morning'],
      ['time_window', 'morning', 'morning'],
    ]);
  });

  it('tolerates typos in synonyms by edit distance, but not in short words', () => {
    expect(values('aftrenoon is best')).toEqual([['time_window', 'afternoon', 'aftrenoon']]);
    expect(values('first thnig')).toEqual([['time_window', 'morning', 'first thnig']]);
    expect(values('I am off')).toEqual([]);
  });

  it('normalises phones to E.164 and e-mails to lower case', () => {
    expect(values('call 07911 123456 or mail Jo.Bloggs@Example.COM')).toEqual([
      ['phone', '+447911123456', '07911 123456'],
      ['email', 'jo.bloggs@example.com', 'Jo.Bloggs@Example.COM'],
    ]);
  });

  it('reads amounts with their currency and plain numbers', () => {
    expect(values('I paid £25.50 and 30 euros for 2 phones')).toEqual([
      ['amount', { amount: 25.5, currency: 'GBP' }, '£25.50'],
      ['amount', { amount: 30, currency: 'EUR' }, '30 euros'],
      ['number', 2, '2'],
    ]);
    expect(values('1,250.75 or three')).toEqual([
      ['number', 1250.75, '1,250.75'],
      ['number', 3, 'three'],
    ]);
  });

  it('lets bot patterns win over built-ins they overlap', () => {
    expect(values('order a1001 on account 12345678')).toEqual([
      ['order_number', 'A1001', 'a1001'],
      ['account_number', '12345678', '12345678'],
    ]);
  });

  it('uses Spanish number and date conventions for Spanish text', () => {
    const es = { ...en, language: 'es', region: 'ES' as const };
    expect(values('mañana por la mañana, 1.250,5 euros', es)).toEqual([
      ['datetime', '2025-06-05', 'mañana'],
      ['amount', { amount: 1250.5, currency: 'EUR' }, '1.250,5 euros'],
    ]);
  });
});

describe('entity extraction with the timeless cache', () => {
  const messages = [
    'tomorrow morning',
    'A1001',
    'order a1001 please, call me on 07700 900123',
    'after lunch on the 14th',
    'I paid £25.50 twice',
    'mail me at ana@example.com',
    'aftrenoon',
    'first thnig tomorrow',
  ];

  it('gives what an extractor without a cache gives, asked twice', () => {
    const cached = new EntityExtractor(definitions);
    for (const text of messages) {
      const fresh = extractEntities(text, definitions, en);
      expect(cached.extract(text, en)).toEqual(fresh);
      expect(cached.extract(text, en)).toEqual(fresh);
    }
  });

  it('finds dates afresh for the time of each message', () => {
    const cached = new EntityExtractor(definitions);
    expect(cached.extract('tomorrow morning', en)[0]?.value).toBe('2025-06-05');
    const later = { ...en, now: new Date('2025-06-09T10:00:00Z') };
    expect(cached.extract('tomorrow morning', later)[0]?.value).toBe('2025-06-10');
  });

  it('hands out copies: editing one result does not change the next', () => {
    const cached = new EntityExtractor(definitions);
    const first = cached.extract('I paid £25.50 twice for a1001', en);
    for (const entity of first) {
      entity.value = 'edited';
      entity.start = -1;
    }
    expect(cached.extract('I paid £25.50 twice for a1001', en)).toEqual(
      extractEntities('I paid £25.50 twice for a1001', definitions, en),
    );
  });

  it('keeps languages apart: a synonym of one language is not found in another', () => {
    const cached = new EntityExtractor(definitions);
    expect(cached.extract('first thing', en).map((e) => e.value)).toEqual(['morning']);
    expect(cached.extract('first thing', { ...en, language: 'es' })).toEqual([]);
  });
});
