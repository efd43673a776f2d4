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

/**
 * One exchange in the channel's own terms, for channels a customer does not type into: a caller speaking
 * on a phone call, a device posting a signed event. It runs over the connector's real transport.
 */
export interface Exchange {
  /** What the message received by the bot must look like (its channel is checked by the suite). */
  expected: Partial<Message> & { conversationId: string };
  /**
   * Sends it and waits until the channel's answer is back; resolves with everything that came back to the
   * customer (or device), serialised: words the bot said appear there only if the channel carries them.
   */
  run(url: string | undefined): Promise<string>;
}

export interface ConnectorFixture {
  /** A fresh connector instance, not yet registered. */
  connector: Connector;
  /** Binds the connector to the test's runtime before it is registered (the device connector's `attach`). */
  prepare?(runtime: FakeRuntime): void;
  /** Text channels: opens a client; `url` is the HTTP server's base URL when the connector mounts routes. */
  connect?(url: string | undefined): Promise<ConnectorClient>;
  /** Channels declared with `roundTrip: 'own terms'`: the exchange that shows their transport works. */
  exchange?: Exchange;
  /**
   * A payload `toMessage` must accept, and one it must refuse. `reads` is what the accepted one must read as
   * (default: a text message saying `hello`).
   */
  payloads: { valid: unknown; invalid: unknown; reads?: Partial<Message> };
  /**
   * True when `send` accepts any address (a callback URL; a live session reached over the message bus),
   * not only customers whose session this process holds.
   */
  reachesAnyAddress?: boolean;
  cleanup?(): Promise<void>;
}

/**
 * How the suite proves a connector's transport works, declared up front so the report shows it: a typed
 * text round trip (every text channel), an exchange in the channel's own terms, or none, with the reason.
 */
export type RoundTrip =
  { roundTrip: 'text' } | { roundTrip: 'own terms'; what: string } | { roundTrip: 'none'; why: string };

/** Fixtures that skipped the round trip, with their reasons (also reported by jest as skipped tests). */
export const skippedRoundTrips: { label: string; why: string }[] = [];

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

const WORDS: Reply = { from: 'bot', text: 'Written words only.', speech: 'Spoken words only.' };

/** Whether the channel carries the bot's words at all (shown or spoken); a device channel carries none. */
const carriesWords = (connector: Connector) => connector.capabilities.text || !!connector.capabilities.speech;

/**
 * The contract every connector keeps, run over its real transport. A new connector gets it with one call:
 *
 * @example
 * describeConnector('sms', async () => ({ connector: createSmsConnector(), connect, payloads }));
 * describeConnector('voice', makeVoiceFixture, { roundTrip: 'own terms', what: 'a spoken utterance' });
 */
export function describeConnector(
  label: string,
  makeFixture: () => Promise<ConnectorFixture>,
  kind: RoundTrip = { roundTrip: 'text' },
): void {
  describe(`connector contract: ${label}`, () => {
    let fixture: ConnectorFixture;
    let connector: Connector;
    let runtime: FakeRuntime;
    let registry: ConnectorRegistry;
    let server: ParleyHttpServer | undefined;
    let client: ConnectorClient | undefined;
    let url: string | undefined;
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
      fixture.prepare?.(runtime);
      registry = createConnectorRegistry([connector]);
      if (connector.mount) {
        server = createHttpServer({ ...context(), connectors: registry });
        ({ url } = await server.listen(0));
      } else {
        await registry.start(context());
      }
      if (kind.roundTrip === 'text') {
        if (!fixture.connect) throw new Error(`${label}: a text round trip needs the fixture's connect()`);
        client = await fixture.connect(url);
      }
    });

    afterEach(async () => {
      await client?.close();
      if (server) await server.close();
      else await registry.stop();
      await fixture.cleanup?.();
      server = undefined;
      client = undefined;
      url = undefined;
    });

    const connected = (): ConnectorClient => {
      if (!client) throw new Error('no client');
      return client;
    };
    /** Where render sends: the client's address on a text channel, any customer of the channel otherwise. */
    const target = (): OutboxTarget => client?.address() ?? targetOf(connector.name, 'contract-customer');
    const rendered = (reply: Reply): string => JSON.stringify(connector.render([reply], target()));

    it('has a channel name the registry accepts, once', () => {
      expect(isChannelName(connector.name)).toBe(true);
      expect(registry.get(connector.name)).toBe(connector);
      expect(() => registry.register(connector)).toThrow(/already registered/);
    });

    it('offers an out-of-turn sender exactly when it declares push', () => {
      expect(typeof connector.send === 'function').toBe(connector.capabilities.push);
    });

    it('declares capabilities that hang together', () => {
      const caps = connector.capabilities;
      // A text channel proves itself with a typed round trip: it cannot opt out into "own terms".
      if (caps.text) expect(kind.roundTrip).not.toBe('own terms');
      // Buttons, typing and a length limit belong to shown text: a channel that shows none has none of
      // them (cards may still go to a companion app, as Alexa's do).
      if (!caps.text) {
        expect({ buttons: caps.buttons, typing: caps.typing }).toEqual({ buttons: false, typing: false });
        expect(caps.maxTextLength).toBeUndefined();
      }
      if (caps.maxTextLength !== undefined) expect(caps.maxTextLength).toBeGreaterThan(0);
    });

    it('reads its payload into a Message on its channel and refuses a malformed one', () => {
      const reads = fixture.payloads.reads ?? { kind: 'text', text: 'hello' };
      const read = connector.toMessage(fixture.payloads.valid, context());
      expect(read).toMatchObject({ ok: true, message: { channel: connector.name, ...reads } });
      const refused = connector.toMessage(fixture.payloads.invalid, context());
      expect(refused.ok).toBe(false);
      if (!refused.ok) expect(refused.detail.length).toBeGreaterThan(0);
    });

    if (kind.roundTrip === 'text') {
      it('carries a text message through its transport to the bot and the reply back', async () => {
        const delivered = await connected().say('hello there');
        expect(delivered.texts).toEqual(['You said: hello there']);
        const message = runtime.handled.at(-1);
        expect(message).toMatchObject({ channel: connector.name, kind: 'text', text: 'hello there' });
        expect(message?.conversationId).toBe(connected().address().conversationId);
      });
    } else if (kind.roundTrip === 'own terms') {
      it(`carries ${kind.what} through its transport to the bot, and the answer back as the channel can`, async () => {
        const exchange = fixture.exchange;
        if (!exchange) throw new Error(`${label}: an own-terms round trip needs the fixture's exchange`);
        const back = await exchange.run(url);
        const message = runtime.handled.find((handled) => handled.kind !== 'launch');
        expect(message).toMatchObject({ ...exchange.expected, channel: connector.name });
        // The script answers every message with "You said: …": it reaches the customer only on a channel
        // that carries words, and never as written text on one that does not show text.
        if (carriesWords(connector)) expect(back).toContain(`You said: ${message?.text ?? ''}`);
        else expect(back).not.toContain('You said');
      });
    } else {
      skippedRoundTrips.push({ label, why: kind.why });
      it.skip(`round trip through the transport — skipped by the fixture: ${kind.why}`, () => undefined);
    }

    it('shows written text only when it declares text (or in a card), speaks only when it declares speech', () => {
      const out = rendered(WORDS);
      const { text, cards } = connector.capabilities;
      if (text) expect(out).toContain('Written words only.');
      // Written words may reach a speaker's companion app only as a card it declares (Alexa's Simple card).
      else if (!cards) expect(out).not.toContain('Written words only.');
      if (connector.capabilities.speech) expect(out).toContain('Spoken words only.');
      else expect(out).not.toContain('Spoken words only.');
    });

    it('sends buttons natively only when it declares them, numbered options otherwise', async () => {
      const outs = [rendered(BUTTONS)];
      if (kind.roundTrip === 'text') outs.unshift((await connected().say('menu')).raw);
      for (const out of outs) {
        if (!carriesWords(connector)) {
          expect(out).not.toMatch(/What can I do|Track my order|order_status/);
          continue;
        }
        expect(out).toContain('Track my order');
        if (connector.capabilities.buttons) expect(out).toContain('/order_status');
        else {
          expect(out).not.toContain('/order_status');
          // Shown as a numbered list, or (a voice-only channel) offered in words.
          expect(out).toContain(connector.capabilities.text ? '2. Opening hours' : 'Opening hours');
        }
      }
    });

    it('renders a card natively only when it declares cards, else as text and link', () => {
      const out = rendered(CARD);
      if (!carriesWords(connector)) return expect(out).not.toMatch(/Order A1001|a1001/);
      expect(out).toContain('Order A1001');
      // A link is something shown: a voice-only channel says the card's words instead.
      if (connector.capabilities.text) expect(out).toContain('https://shop.example/orders/A1001');
      else expect(out).toContain('Shipped Monday');
      if (connector.capabilities.cards) expect(out).toContain('img/a1001.png');
      else expect(out).not.toContain('img/a1001.png');
    });

    it('sends SSML only when it speaks SSML, and the plain text when it shows text', () => {
      const out = rendered(SPEECH);
      if (connector.capabilities.speech === 'ssml') expect(out).toContain('<break');
      else expect(out).not.toMatch(/<speak|<break/);
      if (connector.capabilities.text) expect(out).toContain('Your order ships Monday.');
      else if (connector.capabilities.speech) expect(out).toContain('Monday');
      else expect(out).not.toContain('Monday');
    });

    it('shows media natively only when it declares media, else its alt text and URL', () => {
      const out = rendered(MEDIA);
      if (!carriesWords(connector)) return expect(out).not.toMatch(/receipt/i);
      if (connector.capabilities.text) expect(out).toContain('https://shop.example/receipt.png');
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
