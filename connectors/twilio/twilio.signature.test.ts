import type { HttpRequest } from '../../core/http';
import { keywordOf } from './twilio.state';
import { isValidTwilioSignature, parseForm, signedUrl, twilioSignature } from './twilio.signature';
import { escapeXml, toTwiml } from './twilio.inbound';

// The examples in Twilio's security documentation (token 12345).
const URL = 'https://mycompany.com/myapp.php?foo=1&bar=2';
const params = (caller: string) => ({
  CallSid: 'CA1234567890ABCDE',
  Caller: caller,
  Digits: '1234',
  From: caller,
  To: '+18005551212',
});

describe('Twilio request signature', () => {
  it("matches Twilio's published examples", () => {
    expect(twilioSignature('12345', URL, Object.entries(params('+14158675310')))).toBe(
      'GvWf1cFY/Q7PnoempGyD5oXAezc=',
    );
    expect(twilioSignature('12345', URL, Object.entries(params('+14158675309')))).toBe(
      'RSOYDt4T1cUTdK1PDd93/VVr8B8=',
    );
  });

  it('does not depend on the order parameters arrive in', () => {
    const forward = Object.entries(params('+14158675310'));
    expect(twilioSignature('12345', URL, [...forward].reverse())).toBe(
      twilioSignature('12345', URL, forward),
    );
  });

  it('accepts only the exact signature', () => {
    const pairs = Object.entries(params('+14158675310'));
    expect(isValidTwilioSignature('12345', URL, pairs, 'GvWf1cFY/Q7PnoempGyD5oXAezc=')).toBe(true);
    expect(isValidTwilioSignature('12346', URL, pairs, 'GvWf1cFY/Q7PnoempGyD5oXAezc=')).toBe(false);
    expect(isValidTwilioSignature('12345', `${URL}&x=1`, pairs, 'GvWf1cFY/Q7PnoempGyD5oXAezc=')).toBe(false);
    expect(isValidTwilioSignature('12345', URL, pairs, 'GvWf1cFY/Q7PnoempGyD5oXAezd=')).toBe(false);
    expect(isValidTwilioSignature('12345', URL, pairs, undefined)).toBe(false);
    expect(isValidTwilioSignature('12345', URL, pairs, '')).toBe(false);
  });

  it('decodes form bodies as Twilio encodes them', () => {
    expect(parseForm(Buffer.from('Body=Hello+there%21&From=%2B15550001111&Body=again'))).toEqual([
      ['Body', 'Hello there!'],
      ['From', '+15550001111'],
      ['Body', 'again'],
    ]);
  });

  it('signs over the public URL when set, else the request Host, path and query', () => {
    const request = {
      method: 'POST',
      path: '/webhooks/twilio/messages',
      params: {},
      query: new URLSearchParams('bot=acme'),
      headers: { host: '127.0.0.1:3000' },
      body: undefined,
      rawBody: Buffer.alloc(0),
    } satisfies HttpRequest;
    expect(signedUrl(request, undefined)).toBe('http://127.0.0.1:3000/webhooks/twilio/messages?bot=acme');
    expect(
      signedUrl({ ...request, headers: { ...request.headers, 'x-forwarded-proto': 'https' } }, undefined),
    ).toBe('https://127.0.0.1:3000/webhooks/twilio/messages?bot=acme');
    expect(signedUrl(request, 'https://bot.example.com/')).toBe(
      'https://bot.example.com/webhooks/twilio/messages?bot=acme',
    );
  });
});

describe('Twilio keywords and TwiML', () => {
  it.each([
    ['STOP', 'opt-out'],
    [' stopall ', 'opt-out'],
    ['Unsubscribe.', 'opt-out'],
    ['cancel', 'opt-out'],
    ['END', 'opt-out'],
    ['quit', 'opt-out'],
    ['start', 'opt-in'],
    ['Yes!', 'opt-in'],
    ['UNSTOP', 'opt-in'],
    ['help', 'help'],
    ['INFO', 'help'],
    ['please stop calling', undefined],
    ['yes please', undefined],
  ])('%j is %s', (text, keyword) => {
    expect(keywordOf(text)).toBe(keyword);
  });

  it('escapes XML and drops characters XML cannot carry', () => {
    expect(escapeXml(`<a href="x">'Tom' & Jerry</a>\u0001`)).toBe(
      '&lt;a href=&quot;x&quot;&gt;&apos;Tom&apos; &amp; Jerry&lt;/a&gt;',
    );
    expect(toTwiml([])).toBe('<?xml version="1.0" encoding="UTF-8"?><Response></Response>');
  });
});
