import { signCommand } from './twilio';

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { out: (text: string) => out.push(text), err: (text: string) => err.push(text) }, out, err };
}

const PARAMS = [
  'CallSid=CA1234567890ABCDE',
  'Caller=+14158675310',
  'Digits=1234',
  'From=+14158675310',
  'To=+18005551212',
];

describe('parley twilio sign', () => {
  afterEach(() => {
    process.exitCode = undefined;
  });

  it("prints the signature of Twilio's documented example", () => {
    const { io, out } = capture();
    signCommand(
      { url: 'https://mycompany.com/myapp.php?foo=1&bar=2', param: PARAMS, token: '12345', curl: false },
      io,
    );
    expect(out.join('')).toBe('GvWf1cFY/Q7PnoempGyD5oXAezc=\n');
  });

  it('prints a curl command with the signature and each parameter, quoted for the shell', () => {
    const { io, out } = capture();
    signCommand({ url: 'http://127.0.0.1:3000/x', param: ["Body=it's = 2"], token: '12345', curl: true }, io);
    expect(out.join('')).toMatch(
      /^curl -s 'http:\/\/127\.0\.0\.1:3000\/x' -H 'X-Twilio-Signature: [A-Za-z0-9+/=]{28}'/,
    );
    expect(out.join('')).toContain(`--data-urlencode 'Body=it'\\''s = 2'`);
  });

  it('refuses a parameter without a name', () => {
    const { io, out, err } = capture();
    signCommand({ url: 'http://x/', param: ['=1'], token: '12345', curl: false }, io);
    expect(out).toEqual([]);
    expect(err.join('')).toMatch(/expected name=value/);
    expect(process.exitCode).toBe(1);
  });
});
