import { privacyRequestIn } from './phrases';

describe('privacyRequestIn', () => {
  it.each([
    ['stop using my data for analytics', 'analytics', false],
    ["Please don't use my data for marketing", 'marketing', false],
    ['no longer use my personal data for personalised recommendations', 'personalisation', false],
    ['Dejen de usar mis datos para analítica', 'analytics', false],
    ['no usen mis datos para publicidad', 'marketing', false],
    ['ya no uséis mis datos para recomendaciones', 'personalisation', false],
    ['you can use my data for analytics', 'analytics', true],
    ['pueden usar mis datos para ofertas', 'marketing', true],
    ['/consent transcript_storage yes transcript_storage.v1', 'transcript_storage', true],
  ])('reads %p as consent to %s = %s', (text, purpose, granted) => {
    expect(privacyRequestIn(text)).toMatchObject({ kind: 'consent', purpose, granted });
  });

  it.each([
    'send me my data',
    'Can you give me my personal data?',
    'what data do you hold about me',
    'envíame mis datos',
    'quiero mis datos',
  ])('reads %p as a request for the data', (text) => {
    expect(privacyRequestIn(text)).toEqual({ kind: 'data' });
  });

  it.each([
    'where is my order A1001',
    'stop',
    'my data plan is too slow',
    'I want to cancel my service',
    'quiero cancelar',
  ])('leaves %p to the bot', (text) => {
    expect(privacyRequestIn(text)).toBeUndefined();
  });
});
