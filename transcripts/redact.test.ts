import {
  CARD_PLACEHOLDER as CARD,
  EXPIRY_PLACEHOLDER as EXPIRY,
  SECURITY_CODE_PLACEHOLDER as CODE,
  isLuhnValid,
  redactDeep,
  redactText,
} from './redact';

describe('isLuhnValid', () => {
  it.each(['4111111111111111', '5500000000000004', '378282246310005', '79927398713'])(
    'accepts %s',
    (digits) => {
      expect(isLuhnValid(digits)).toBe(true);
    },
  );

  it.each(['4111111111111112', '79927398710', '1234567812345678', ''])('rejects "%s"', (digits) => {
    expect(isLuhnValid(digits)).toBe(false);
  });
});

describe('redactText: card numbers', () => {
  it.each([
    ['Visa, plain', 'my card is 4111111111111111', `my card is ${CARD}`],
    ['Visa in groups of four', 'card 4111 1111 1111 1111 thanks', `card ${CARD} thanks`],
    ['dashes', '4111-1111-1111-1111', CARD],
    ['mixed separators', '5500 0000-0000 0004.', `${CARD}.`],
    ['Amex 4-6-5', 'amex 3782 822463 10005', `amex ${CARD}`],
    ['Discover', '6011111111111117', CARD],
    ['13 digits', 'old visa 4222222222222', `old visa ${CARD}`],
    ['19 digits', 'maestro 6304000000000000000', `maestro ${CARD}`],
    ['glued to a word', 'card:4012888888881881', `card:${CARD}`],
    ['no-break spaces', '4111\u00a01111\u00a01111\u00a01111', CARD],
  ])('removes %s', (_name, input, expected) => {
    expect(redactText(input)).toEqual({ text: expected, redactions: ['card_number'] });
  });

  it.each([
    ['dots', '4111.1111.1111.1111'],
    ['slashes', '4111/1111/1111/1111'],
    ['tabs', '4111\t1111\t1111\t1111'],
    ['several spaces', '4111    1111  1111   1111'],
    ['underscores', '4111_1111_1111_1111'],
    ['dashes with spaces', '4111 - 1111 - 1111 - 1111'],
    ['en dashes', '4111–1111–1111–1111'],
    ['thin spaces', '4111\u20091111\u20091111\u20091111'],
    ['zero-width spaces', '4111\u200b1111\u200b1111\u200b1111'],
    ['one digit at a time (a speech transcript)', '4 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1'],
    ['a line per group', '4111\n1111\n1111\n1111'],
    ['Arabic-Indic digits', '٤١١١ ١١١١ ١١١١ ١١١١'],
    ['fullwidth digits', '４１１１１１１１１１１１１１１１'],
    ['Devanagari digits', '४१११-११११-११११-११११'],
    ['mixed scripts and separators', '4١١1.१１11 / ١1११_1111'],
  ])('removes a card written with %s', (_name, written) => {
    expect(redactText(`card ${written} ok`)).toEqual({
      text: `card ${CARD} ok`,
      redactions: ['card_number'],
    });
  });

  it('removes every card in a message', () => {
    const result = redactText('old 4111 1111 1111 1111, new 5500-0000-0000-0004');
    expect(result).toEqual({ text: `old ${CARD}, new ${CARD}`, redactions: ['card_number', 'card_number'] });
  });

  it('finds the card inside a longer run of digits, leaving the rest', () => {
    // The CVV typed straight after the card makes the run 19 digits that fail Luhn as a whole; the card is
    // found inside it, and the 3 digits right after a card are its security code.
    expect(redactText('4111 1111 1111 1111 123').text).toBe(`${CARD} ${CODE}`);
    expect(redactText('ref 12 4111111111111111').text).toBe(`ref 12 ${CARD}`);
  });

  it.each([
    ['an order number', 'where is order A1001?'],
    ['an 8-digit account number', 'account 12345678 please'],
    ['a 16-digit number that fails Luhn', 'tracking 4111111111111112'],
    ['a grouped number that fails Luhn', '1234 5678 1234 5678'],
    ['a US phone number', 'call me on (415) 555-2671 or 415-555-2671'],
    ['an international phone number', 'my number is +44 20 7946 0958'],
    // 13 digits at most after a "+" read as a phone; "+4111111111111111" (16) is a card with a plus.
    ['an E.164 number that happens to pass Luhn', 'text +4930123456000'],
    ['an ISO date', 'delivered 2024-01-15'],
    ['a written date and time', 'on 15/01/2024 at 10:30'],
    ['a 12-digit number', 'invoice 411111111111'],
    ['a 20-digit number', '41111111111111111111'],
    ['money', 'I paid $1,234.56 on 3 orders'],
  ])('leaves %s alone', (_name, input) => {
    expect(redactText(input)).toEqual({ text: input, redactions: [] });
  });
});

describe('redactText: security codes', () => {
  it.each([
    ['cvv 123', `cvv ${CODE}`],
    ['CVV: 123', `CVV: ${CODE}`],
    ['my cvc is 4567', `my cvc is ${CODE}`],
    ['CVV2 = 999', `CVV2 = ${CODE}`],
    ['the security code is 321', `the security code is ${CODE}`],
    ['Security Code on the back: 0421', `Security Code on the back: ${CODE}`],
    ['card verification value 555', `card verification value ${CODE}`],
    ['csc 777', `csc ${CODE}`],
    ['123 is my cvv', `${CODE} is my cvv`],
    ["456 is the card's security code", `${CODE} is the card's security code`],
  ])('removes the code in "%s"', (input, expected) => {
    expect(redactText(input)).toEqual({ text: expected, redactions: ['security_code'] });
  });

  it.each([
    ['the code on the back is 123', `the code on the back is ${CODE}`],
    ['sec code 456', `sec code ${CODE}`],
    ['verification number: 7890', `verification number: ${CODE}`],
    ['3 digit code 321', `3 digit code ${CODE}`],
    ['cvv\n555', `cvv\n${CODE}`],
  ])('removes the code in other phrasings: "%s"', (input, expected) => {
    expect(redactText(input)).toEqual({ text: expected, redactions: ['security_code'] });
  });

  it('removes a code and expiry typed on the lines after a card', () => {
    expect(redactText('4111 1111 1111 1111\n09/29\n123').text).toBe(`${CARD}\n${EXPIRY}\n${CODE}`);
    expect(redactText('4111 1111 1111 1111\n0421').text).toBe(`${CARD}\n${CODE}`);
  });

  it('removes a card and its code together', () => {
    expect(redactText('4111 1111 1111 1111 exp 12/27 cvv 123')).toEqual({
      text: `${CARD} exp ${EXPIRY} cvv ${CODE}`,
      redactions: ['card_number', 'expiry_date', 'security_code'],
    });
  });

  it.each([
    ['a bare 3-digit number', 'I ordered 123 items'],
    ['a number far from the keyword', 'the cvv thing confused me, I had ordered twice, about 123 items'],
    ['an order id after the keyword', 'no cvv, just order A1001'],
    ['a 5-digit number after the keyword', 'security code 12345'],
    ['a 2-digit number after the keyword', 'cvv 12'],
    ['an expiry after the keyword', 'cvv expires 12/27'],
    ['a word that merely contains the keyword', 'cvvx 123 and xcvc 456'],
  ])('leaves %s alone', (_name, input) => {
    expect(redactText(input)).toEqual({ text: input, redactions: [] });
  });
});

describe('redactDeep', () => {
  it('redacts strings at any depth and leaves other values intact', () => {
    const input = {
      orderId: 'A1001',
      payment: { card: '4111 1111 1111 1111', note: 'cvv 123', amount: 42.5, paid: true },
      lines: ['fine', 'use 5500000000000004 instead', null],
    };
    const { value, redactions } = redactDeep(input);
    expect(value).toEqual({
      orderId: 'A1001',
      payment: { card: CARD, note: `cvv ${CODE}`, amount: 42.5, paid: true },
      lines: ['fine', `use ${CARD} instead`, null],
    });
    expect(redactions.sort()).toEqual(['card_number', 'card_number', 'security_code']);
    expect(input.payment.card).toBe('4111 1111 1111 1111');
  });

  it('redacts a card number stored as a number', () => {
    expect(redactDeep({ cardNumber: 4111111111111111, accountNumber: 12345678 })).toEqual({
      value: { cardNumber: CARD, accountNumber: 12345678 },
      redactions: ['card_number'],
    });
  });

  it.each([
    4111111111111111, 5500000000000004, 378282246310005, 6011111111111117, 2223000048400011, 3530111333300000,
    30569309025904, 4222222222222,
  ])('redacts an issued card number stored as a number: %d', (card) => {
    expect(redactDeep({ value: card }).value).toEqual({ value: CARD });
  });

  it('keeps times stored as numbers: milliseconds and microseconds never read as cards', () => {
    // A decade of millisecond times, a prime step apart: one in ten of them passes the Luhn check.
    const times = Array.from({ length: 5000 }, (_, i) => Date.UTC(2025, 0, 1) + i * 63_113_851);
    const metadata = { times, micros: times.map((t) => t * 1000 + 7), receivedAt: times[1] ?? 0 };
    const { value, redactions } = redactDeep(metadata);
    expect(redactions).toEqual([]);
    expect(value).toEqual(metadata);
  });

  it('redacts any 3-4 digit value under a security-code field, and only those', () => {
    const { value, redactions } = redactDeep({
      cvv: 123,
      securityCode: '0421',
      security_code: 999,
      cid: 1234,
      pin: '12',
    });
    expect(value).toEqual({ cvv: CODE, securityCode: CODE, security_code: CODE, cid: 1234, pin: '12' });
    expect(redactions).toEqual(['security_code', 'security_code', 'security_code']);
  });

  it('handles primitives and arrays at the top level', () => {
    expect(redactDeep('4111111111111111').value).toBe(CARD);
    expect(redactDeep(['cvc 321', 7]).value).toEqual([`cvc ${CODE}`, 7]);
    expect(redactDeep(null)).toEqual({ value: null, redactions: [] });
  });
});
