import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadBotDefinition, startParley, type RunningParley } from '../../app/bootstrap';
import { loadConfig } from '../../app/config';
import { verifyWebhookSignature } from '../../handoff/export';
import { silentLogger } from '../../stores/silent-logger';

interface Received {
  headers: IncomingHttpHeaders;
  body: string;
}

/** A stand-in agent hub on loopback that records what it is sent. */
async function startHub(): Promise<{ server: Server; url: string; received: Received[] }> {
  const received: Received[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      received.push({ headers: req.headers, body: Buffer.concat(chunks).toString() });
      res.statusCode = 202;
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { server, url: `http://127.0.0.1:${port}/cases`, received };
}

const SECRET = 'a-shared-hub-secret-of-some-length';

describe.each(['parley', 'botframework'] as const)(
  'case export to an agent hub configured by env (%s)',
  (format) => {
    let hub: Awaited<ReturnType<typeof startHub>>;
    let parley: RunningParley;

    beforeAll(async () => {
      hub = await startHub();
      const config = loadConfig({
        PORT: '0',
        LOG_LEVEL: 'silent',
        PARLEY_RELOAD: 'false',
        PARLEY_HUB_URL: hub.url,
        PARLEY_HUB_SECRET: SECRET,
        PARLEY_HUB_FORMAT: format,
      });
      parley = await startParley(loadBotDefinition('acme'), config, { logger: silentLogger });
    });

    afterAll(async () => {
      await parley.close();
      await new Promise((resolve) => hub.server.close(resolve));
    });

    it('sends each new case once, signed, with the whole transcript', async () => {
      const say = (message: string) =>
        fetch(`${parley.address.url}/webhooks/rest/webhook`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ sender: `hub-${format}`, message }),
        });
      await say('where is my order A1001');
      await say('I want to talk to a person');
      const deadline = Date.now() + 10_000;
      while (hub.received.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));

      expect(hub.received).toHaveLength(1);
      const [{ headers, body }] = hub.received as [Received];
      expect(
        verifyWebhookSignature({
          secret: SECRET,
          body,
          timestamp: headers['x-parley-timestamp'] as string,
          signature: headers['x-parley-signature'] as string,
          now: Date.now(),
        }),
      ).toBe(true);
      expect(headers['idempotency-key']).toMatch(/:case\.created$/);
      const text = JSON.stringify(JSON.parse(body));
      expect(text).toContain('where is my order A1001');
      expect(text).toContain('I want to talk to a person');
      if (format === 'botframework')
        expect(JSON.parse(body)).toMatchObject({ type: 'event', name: 'handoff.initiate' });
      else expect(JSON.parse(body)).toMatchObject({ event: 'case.created' });
    });
  },
);

describe('hub configuration', () => {
  it('refuses a hub URL without a signing secret', () => {
    expect(() => loadConfig({ PARLEY_HUB_URL: 'http://127.0.0.1:9/hub' })).toThrow(/PARLEY_HUB_SECRET/);
  });
});
