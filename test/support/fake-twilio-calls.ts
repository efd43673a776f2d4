import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A local server that speaks Twilio's call update (`POST …/Calls/{sid}.json` with `Twiml`), basic auth checked. */
export async function startFakeCallsApi(accountSid: string, authToken: string) {
  const updates: { callSid: string; twiml: string }[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    req.on('end', () => {
      const auth = `Basic ${Buffer.from(`${accountSid}:${authToken}`).toString('base64')}`;
      const match = /^\/2010-04-01\/Accounts\/([^/]+)\/Calls\/([^/]+)\.json$/.exec(req.url ?? '');
      const status = req.headers.authorization !== auth ? 401 : !match || match[1] !== accountSid ? 404 : 200;
      if (status === 200 && match)
        updates.push({ callSid: match[2] ?? '', twiml: new URLSearchParams(body).get('Twiml') ?? '' });
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(status === 200 ? { sid: match?.[2], status: 'in-progress' } : { code: 20003 }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    updates,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
