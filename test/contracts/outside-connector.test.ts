import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createEchoConnector } from '../fixtures/echo-connector/echo.connector';
import { describeConnector, targetOf, type ConnectorClient } from './connector.contract';

/**
 * A channel added from outside `connectors/` (test/fixtures/echo-connector/): its own folder, one
 * registration, the same contract suite as the built-in channels.
 */
async function echoClient(url: string | undefined): Promise<ConnectorClient> {
  const user = 'carol';
  const post = async (text: string) => {
    const response = await fetch(`${url}/echo/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ user, text }),
    });
    return (await response.json()) as { replies: string[] };
  };
  const inbox = async () => {
    const response = await fetch(`${url}/echo/inbox/${user}`);
    return ((await response.json()) as { replies: string[] }).replies;
  };
  return {
    address: () => targetOf('echo-http', user),
    async say(text) {
      const body = await post(text);
      return { texts: body.replies, raw: JSON.stringify(body) };
    },
    async nextPushed() {
      const waiting: string[] = [];
      for (let tries = 0; tries < 200 && waiting.length === 0; tries += 1) {
        waiting.push(...(await inbox()));
        if (waiting.length === 0) await new Promise((resolve) => setTimeout(resolve, 10));
      }
      if (waiting.length === 0) throw new Error('nothing arrived in the inbox');
      return JSON.stringify(waiting);
    },
    close: async () => undefined,
  };
}

describeConnector('echo-http (a connector from outside connectors/)', async () => ({
  connector: createEchoConnector(),
  connect: echoClient,
  payloads: { valid: { user: 'carol', text: 'hello' }, invalid: { user: 'Carol!', text: '' } },
  reachesAnyAddress: true,
}));

describe('adding a connector', () => {
  it('needs nothing in core/ that names it', () => {
    const core = join(__dirname, '..', '..', 'core');
    for (const file of readdirSync(core)) {
      const source = readFileSync(join(core, file), 'utf8');
      expect(source).not.toMatch(/echo-http|echo-connector|fixtures/);
    }
  });
});
