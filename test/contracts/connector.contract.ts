import { createHttpServer, type ParleyHttpServer } from '../../connectors/http/http-server';
import { FakeRuntime, memoryLogger } from '../support/fake-runtime';
import type { Connector, ConnectorContext } from '../../core/connector';
import type { OutboxTarget } from '../../core/ports';
import { createConnectorRegistry, type ConnectorRegistry } from '../../core/connector-registry';
import { isChannelName, type Message, type Reply } from '../../core/message';

/** What a customer's client saw come back over the connector's transport for one message. */
export interface Delivered {
  /** The text of each reply, as the channel shows it. */
  texts: string[];
  /** Everything the transport carried, serialised: what capability checks search. */
  raw: string;
}

/** A customer talking to the connector over its real transport (HTTP, WebSocket, streams…). */
export interface ConnectorClient {
  /** Where this customer is reached; known once they have said something. */
  address(): OutboxTarget;
  say(text: string): Promise<Delivered>;
  /** The next reply that arrives outside a turn, serialised. Call before triggering it. */
  nextPushed(): Promise<string>;
  close(): Promise<void>;
}

export interface ConnectorFixture {
  /** A fresh connector instance, not yet registered. */
  connector: Connector;
  /** Opens a client; `url` is the HTTP server's base URL when the connector mounts routes or sockets. */
  connect(url: string | undefined): Promise<ConnectorClient>;
  /** A payload `toMessage` must accept (a text message saying `hello`), and one it must refuse. */
  payloads: { valid: unknown; invalid: unknown };
  /**
   * True when `send` accepts any address (a callback URL; a live session reached over the message bus),
   * not only customers whose session this process holds.
   */
  reachesAnyAddress?: boolean;
  cleanup?(): Promise<void>;
}

const BUTTONS: Reply = {
  from: 'bot',
  text: 'What can I do?',
  buttons: [
    { title: 'Track my order', payload: '/order_status' },
    { title: 'Opening hours', payload: '/opening_hours' },
  ],
};
const CARD: Reply = {
  from: 'bot',
  text: 'Here it is.',
  cards: [
    {
      title: 'Order A1001',
      text: 'Shipped Monday',
      url: 'https://shop.example/orders/A1001',
      imageUrl: 'https://shop.example/img/a1001.png',
    },
  ],
};
const SPEECH: Reply = {
  from: 'bot',
  text: 'Your order ships Monday.',
  speech: '<speak>Your order ships <break time="300ms"/> Monday.</speak>',
};
const MEDIA: Reply = {
  from: 'bot',
  text: 'Your receipt.',
  media: [
    { url: 'https://shop.example/receipt.png', contentType: 'image/png', altText: 'Receipt for A1001' },
  ],
};

/** The bot behind the connector: echoes, and answers `menu` with buttons. */
function script(message: Message): Reply[] {
  if (message.kind === 'launch') return [{ from: 'bot', text: 'Hi! How can I help?' }];
  if (message.text === 'menu') return [BUTTONS];
  return [{ from: 'bot', text: `You said: ${message.text ?? ''}` }];
}

/**
 * The contract every connector keeps, run over its real transport. A new connector gets it with one call:
 *
 * @example
 * describeConnector('sms', async () => ({ connector: createSmsConnector(), connect, payloads }));
 */
export function describeConnector(label: string, makeFixture: () => Promise<ConnectorFixture>): void {
  describe(`connector contract: ${label}`, () => {
    let fixture: ConnectorFixture;
    let connector: Connector;
    let runtime: FakeRuntime;
    let registry: ConnectorRegistry;
    let server: ParleyHttpServer | undefined;
    let client: ConnectorClient | undefined;
    const context = (): ConnectorContext => ({
      runtime,
      logger: memoryLogger(),
      clock: { now: () => 1_700_000_000_000 },
      ids: counter(),
    });

    beforeEach(async () => {
      fixture = await makeFixture();
      connector = fixture.connector;
      runtime = new FakeRuntime(script);
      registry = createConnectorRegistry([connector]);
      if (connector.mount) {
        server = createHttpServer({ ...context(), connectors: registry });
        const { url } = await server.listen(0);
        client = await fixture.connect(url);
      } else {
        await registry.start(context());
        client = await fixture.connect(undefined);
      }
    });

    afterEach(async () => {
      await client?.close();
      if (server) await server.close();
      else await registry.stop();
      await fixture.cleanup?.();
      server = undefined;
      client = undefined;
    });

    const connected = (): ConnectorClient => {
      if (!client) throw new Error('no client');
      return client;
    };

    it('has a channel name the registry accepts, once', () => {
      expect(isChannelName(connector.name)).toBe(true);
      expect(registry.get(connector.name)).toBe(connector);
      expect(() => registry.register(connector)).toThrow(/already registered/);
    });

    it('offers an out-of-turn sender exactly when it declares push', () => {
      expect(typeof connector.send === 'function').toBe(connector.capabilities.push);
    });

    it('reads its payload into a Message on its channel and refuses a malformed one', () => {
      const read = connector.toMessage(fixture.payloads.valid, context());
      expect(read).toMatchObject({
        ok: true,
        message: { channel: connector.name, kind: 'text', text: 'hello' },
      });
      const refused = connector.toMessage(fixture.payloads.invalid, context());
      expect(refused.ok).toBe(false);
      if (!refused.ok) expect(refused.detail.length).toBeGreaterThan(0);
    });

    it('carries a text message through its transport to the bot and the reply back', async () => {
      const delivered = await connected().say('hello there');
      expect(delivered.texts).toEqual(['You said: hello there']);
      const message = runtime.handled.at(-1);
      expect(message).toMatchObject({ channel: connector.name, kind: 'text', text: 'hello there' });
      expect(message?.conversationId).toBe(connected().address().conversationId);
    });

    it('sends buttons natively only when it declares them, numbered options otherwise', async () => {
      const delivered = await connected().say('menu');
      const rendered = JSON.stringify(connector.render([BUTTONS], connected().address()));
      for (const out of [delivered.raw, rendered]) {
        expect(out).toContain('Track my order');
        if (connector.capabilities.buttons) expect(out).toContain('/order_status');
        else {
          expect(out).not.toContain('/order_status');
          expect(out).toContain('2. Opening hours');
        }
      }
    });

    it('renders a card natively only when it declares cards, else as text and link', () => {
      const out = JSON.stringify(connector.render([CARD], connected().address()));
      expect(out).toContain('Order A1001');
      expect(out).toContain('https://shop.example/orders/A1001');
      if (connector.capabilities.cards) expect(out).toContain('img/a1001.png');
      else expect(out).not.toContain('img/a1001.png');
    });

    it('sends SSML only when it speaks SSML, and the plain text when it shows text', () => {
      const out = JSON.stringify(connector.render([SPEECH], connected().address()));
      if (connector.capabilities.speech === 'ssml') expect(out).toContain('<break');
      else expect(out).not.toMatch(/<speak|<break/);
      if (connector.capabilities.text) expect(out).toContain('Your order ships Monday.');
    });

    it('shows media natively only when it declares media, else its alt text and URL', () => {
      const out = JSON.stringify(connector.render([MEDIA], connected().address()));
      expect(out).toContain('https://shop.example/receipt.png');
      if (!connector.capabilities.media) expect(out).toContain('Receipt for A1001');
    });

    it('delivers an out-of-turn reply to the customer when it declares push', async () => {
      if (!connector.capabilities.push || !connector.send) return; // nothing to deliver: checked above
      await connected().say('hello');
      const pushed = connected().nextPushed();
      const reply: Reply = { from: 'agent', agentName: 'Sam', text: 'Sam here, I can help.' };
      await expect(connector.send(connected().address(), [reply])).resolves.toBe(1);
      expect(await pushed).toContain('Sam here, I can help.');
      const stranger = targetOf(connector.name, 'nobody-listens-here');
      // A live-session channel reaches only open sessions; an addressed one (a callback URL) reaches anyone.
      expect(await connector.send(stranger, [reply])).toBe(fixture.reachesAnyAddress ? 1 : 0);
    });
  });
}

function counter() {
  let next = 0;
  return { next: () => `id-${(next += 1)}` };
}

/** Resolves once `check` holds, polling; rejects with `what` after `timeoutMs`. */
export async function eventually<T>(check: () => T | undefined, what: string, timeoutMs = 3000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/** Where a customer of `channel` known as `userId` is reached, with the connector's own conversation id. */
export function targetOf(channel: string, userId: string, session = `${channel}:${userId}`): OutboxTarget {
  return { conversationId: session, address: { channel, userId }, session };
}
