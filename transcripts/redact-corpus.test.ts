import fc from 'fast-check';
import { createRedactor, redactText } from './redact';

/** What customers of a shop and a clinic type every day: none of it is card data. */
const ORDINARY = [
  'where is order A1001?',
  'orders A1001, A1002 and A1003 all came late',
  'my order number is 100234567',
  'tracking number 1Z999AA10123456784',
  'parcel ref JD014600006543219876',
  'call me on 020 7946 0958',
  'my number is +44 20 7946 0958',
  'mobile +34 612 345 678 or landline 91 123 45 67',
  'US office (415) 555-2671, ext. 204',
  'text +49 151 23456789 after 6pm',
  'delivered 2024-01-15',
  'on 15/01/2024 at 10:30',
  'between 01.02.2025 and 28.02.2025',
  'appointment on 3/4 at 9:45am, or 12/27 at 14:00',
  'it arrived 2024-01-15 10:30:12 UTC',
  'I paid $1,234.56 on 3 orders',
  'refund €1.299,00 please, not 1.299',
  'total was £12,345.67 including VAT of £2,057.61',
  'ship to SW1A 1AA',
  'postcode 28013, Madrid',
  'zip 94103-1234',
  'the code 12345 did not work',
  'I ordered 123 items, 4 of them broke',
  'room 1204, floor 12',
  'flight BA 2490 at 18:05, seat 32C',
  'my customer id is 4829-1034',
  'invoice 2024/000123 and 2024/000124',
  'version 10.2.3 of the app',
  'I have 2 cards, the one ending 4242',
  'temperature was 21.5 degrees at 07:30',
  'the 1990s were great, 1995 especially',
  'pin your order 12 3456 789 to the top',
];

describe('ordinary numbers survive redaction', () => {
  it.each(ORDINARY)('"%s" is left alone', (text) => {
    expect(redactText(text)).toEqual({ text, redactions: [] });
  });

  it('survive a redactor with e-mail, IBAN and national ids on', () => {
    const redact = createRedactor({ email: true, iban: true, nationalIds: ['us-ssn', 'es-dni', 'es-nie'] });
    for (const text of ORDINARY) expect(redact(text)).toEqual({ text, redactions: [] });
  });

  it('survive when generated and combined in sentences', () => {
    const two = (min: number, max: number) => fc.integer({ min, max }).map((n) => String(n).padStart(2, '0'));
    const item = fc.oneof(
      fc.integer({ min: 1000, max: 99999 }).map((n) => `order A${n}`),
      fc
        .tuple(fc.integer({ min: 1990, max: 2035 }), two(1, 12), two(1, 28))
        .map(([y, m, d]) => `on ${y}-${m}-${d}`),
      fc
        .tuple(two(1, 28), two(1, 12), fc.integer({ min: 1990, max: 2035 }))
        .map(([d, m, y]) => `on ${d}/${m}/${y}`),
      fc.tuple(two(0, 23), two(0, 59)).map(([h, m]) => `at ${h}:${m}`),
      fc
        .tuple(fc.integer({ min: 0, max: 999_999 }), two(0, 99))
        .map(([a, c]) => `for $${a.toLocaleString('en-US')}.${c}`),
      fc.integer({ min: 1000, max: 52999 }).map((n) => `postcode ${String(n).padStart(5, '0')}`),
      fc
        .tuple(
          fc.integer({ min: 200, max: 999 }),
          fc.integer({ min: 200, max: 999 }),
          fc.integer({ min: 0, max: 9999 }),
        )
        .map(([a, b, c]) => `call (${a}) ${b}-${String(c).padStart(4, '0')}`),
      fc
        .tuple(
          fc.integer({ min: 10, max: 99 }),
          fc.integer({ min: 1000, max: 9999 }),
          fc.integer({ min: 1000, max: 9999 }),
        )
        .map(([a, b, c]) => `or +44 ${a} ${b} ${c}`),
      fc.integer({ min: 1, max: 999 }).map((n) => `${n} items`),
    );
    fc.assert(
      fc.property(fc.array(item, { minLength: 1, maxLength: 6 }), (items) => {
        const text = `hi, ${items.join(' and ')}.`;
        expect(redactText(text)).toEqual({ text, redactions: [] });
      }),
      { numRuns: 2_000 },
    );
  });
});
