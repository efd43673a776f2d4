import { keyedValue, keypadForms } from './voice.keypad';

describe('keyed codes', () => {
  const forms = keypadForms([
    { name: 'order_number', pattern: '\\b[Aa]\\d{4}\\b', case: 'upper' },
    { name: 'account_number', pattern: '\\b\\d{8}\\b' },
    { name: 'postcode', pattern: '\\b[A-Za-z]{1,2}\\d[A-Za-z\\d]?\\s?\\d[A-Za-z]{2}\\b' },
    { name: 'time_window', synonyms: { morning: ['early'] } },
  ]);

  it('knows the fixed letters of codes that are letters then digits, and nothing else', () => {
    expect(Object.keys(forms)).toEqual(['order_number']);
    expect(forms['order_number']?.prefix).toBe('A');
  });

  it('puts the letters in front of keyed digits when only that form is the entity', () => {
    expect(keyedValue('1001', forms['order_number'])).toBe('A1001');
    expect(keyedValue('10', forms['order_number'])).toBe('10');
    expect(keyedValue('12345678', forms['account_number'])).toBe('12345678');
    expect(keyedValue('1001', undefined)).toBe('1001');
  });
});
