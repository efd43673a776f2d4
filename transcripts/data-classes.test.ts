import {
  EMAIL_PLACEHOLDER as EMAIL,
  IBAN_PLACEHOLDER as IBAN,
  NATIONAL_ID_PLACEHOLDER as ID,
  PHONE_PLACEHOLDER as PHONE,
  createRedactor,
  isIbanValid,
  nationalIdsForLocale,
} from './redact';

describe('optional classes', () => {
  it('are off by default: only card data is removed', () => {
    const text = 'jo@example.com, +44 20 7946 0958, GB82WEST12345698765432, 123-45-6789';
    expect(createRedactor()(text)).toEqual({ text, redactions: [] });
  });

  it('removes e-mail addresses', () => {
    const redact = createRedactor({ email: true });
    expect(redact('mail jo.doe+shop@example.co.uk or ana@correo.es.').text).toBe(
      `mail ${EMAIL} or ${EMAIL}.`,
    );
    expect(redact('user@localhost is not an address').text).toBe('user@localhost is not an address');
  });

  it('removes phone numbers, national forms for the chosen country', () => {
    expect(createRedactor({ phone: true })('call +44 20 7946 0958 or 020 7946 0958').text).toBe(
      `call ${PHONE} or 020 7946 0958`,
    );
    expect(createRedactor({ phone: { country: 'GB' } })('call 020 7946 0958').text).toBe(`call ${PHONE}`);
  });

  it('removes IBANs whose checksum holds, printed or compact, and only those', () => {
    const redact = createRedactor({ iban: true });
    expect(redact('IBAN GB82 WEST 1234 5698 7654 32 please')).toEqual({
      text: `IBAN ${IBAN} please`,
      redactions: ['iban'],
    });
    expect(redact('es ES9121000418450200051332.').text).toBe(`es ${IBAN}.`);
    expect(redact('GB83 WEST 1234 5698 7654 32').text).toBe('GB83 WEST 1234 5698 7654 32');
    expect(isIbanValid('DE89370400440532013000')).toBe(true);
    expect(isIbanValid('DE89370400440532013001')).toBe(false);
  });

  it('removes US social security numbers by shape, or bare after "SSN"', () => {
    const redact = createRedactor({ nationalIds: ['us-ssn'] });
    expect(redact('ssn 123-45-6789, social security number: 123456789').text).toBe(
      `ssn ${ID}, social security number: ${ID}`,
    );
    expect(redact('000-12-3456 and 666-12-3456 and order 123456789').text).toBe(
      '000-12-3456 and 666-12-3456 and order 123456789',
    );
  });

  it('removes Spanish DNI and NIE numbers whose check letter is right', () => {
    const redact = createRedactor({ nationalIds: ['es-dni', 'es-nie'] });
    expect(redact('DNI 12345678Z, NIE X-1234567-L, Y1234567X').text).toBe(`DNI ${ID}, NIE ${ID}, ${ID}`);
    expect(redact('DNI 12345678A, NIE X1234567A').text).toBe('DNI 12345678A, NIE X1234567A');
  });

  it('removes UK National Insurance numbers', () => {
    expect(createRedactor({ nationalIds: ['gb-nino'] })('NI AB 12 34 56 C').text).toBe(`NI ${ID}`);
  });

  it('picks national ids by locale', () => {
    expect(nationalIdsForLocale('es-ES')).toEqual(['es-dni', 'es-nie']);
    expect(nationalIdsForLocale('en-US')).toEqual(['us-ssn']);
    expect(nationalIdsForLocale('en-GB')).toEqual(['gb-nino']);
    expect(nationalIdsForLocale('fr-FR')).toEqual([]);
  });

  it("removes a bot's own patterns under their labels", () => {
    const redact = createRedactor({ patterns: [{ label: 'member number', pattern: /\bMB-\d{6}\b/i }] });
    expect(redact('member mb-123456 and MB-654321')).toEqual({
      text: 'member [member number removed] and [member number removed]',
      redactions: ['pattern:member number', 'pattern:member number'],
    });
  });
});
