import { maskSlots, maskValue } from './mask-slot';

describe('maskValue', () => {
  it('keeps the last four letters or digits and the separators', () => {
    expect(maskValue('ES91 2100 0418 4502 0005 1332')).toBe('•••• •••• •••• •••• •••• 1332');
    expect(maskValue('12345678Z', { keepLast: 1, maskChar: '*' })).toBe('********Z');
    expect(maskValue('abc')).toBe('abc');
    expect(maskValue('secret', { keepLast: 0 })).toBe('••••••');
  });
});

describe('maskSlots', () => {
  it('masks only the named slots, in a copy', () => {
    const slots = { iban: 'ES9121000418450200051332', member: 12345678, city: 'Madrid', ok: true };
    expect(maskSlots(slots, ['iban', 'member', 'ok', 'missing'])).toEqual({
      iban: '••••••••••••••••••••1332',
      member: '••••5678',
      city: 'Madrid',
      ok: true,
    });
    expect(slots.iban).toBe('ES9121000418450200051332');
  });
});
