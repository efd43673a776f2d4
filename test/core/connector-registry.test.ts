import type { Connector, ConnectorContext } from '../../core/connector';
import { createConnectorRegistry, ConnectorRegistrationError } from '../../core/connector-registry';
import { TEXT_ONLY } from '../../core/degrade';
import { FakeRuntime, memoryLogger } from '../support/fake-runtime';
import { createOutbox } from '../../outbox/outbox';
import { createMemoryStores } from '../../stores/memory';
import { silentLogger } from '../../stores/silent-logger';

function connector(name: string, extra: Partial<Connector> = {}): Connector {
  return {
    name,
    capabilities: TEXT_ONLY,
    toMessage: () => ({ ok: false, detail: 'not used' }),
    render: (replies) => replies.map((reply) => reply.text),
    ...extra,
  };
}

const context: ConnectorContext = {
  runtime: new FakeRuntime(),
  logger: memoryLogger(),
  clock: { now: () => 0 },
  ids: { next: () => 'id' },
};

describe('connector registry', () => {
  it('refuses names that are not channel names, duplicates, and push without a sender', () => {
    const registry = createConnectorRegistry();
    for (const bad of ['', 'Rest', 'web chat', '9lives', 'a'.repeat(33), 'sms_twilio']) {
      expect(() => registry.register(connector(bad))).toThrow(ConnectorRegistrationError);
    }
    registry.register(connector('twilio-sms'));
    expect(() => registry.register(connector('twilio-sms'))).toThrow(/already registered/);
    expect(() =>
      registry.register(connector('push-less', { capabilities: { ...TEXT_ONLY, push: true } })),
    ).toThrow(/declares push but has no send/);
    expect(registry.list().map((item) => item.name)).toEqual(['twilio-sms']);
  });

  it('collects every connector’s routes and sockets', () => {
    const handle = async () => ({ status: 200, json: {} });
    const registry = createConnectorRegistry([
      connector('a', { mount: () => ({ routes: [{ method: 'GET', path: '/a', handle }] }) }),
      connector('b'),
      connector('c', { mount: () => ({ routes: [{ method: 'POST', path: '/c', handle }] }) }),
    ]);
    expect(registry.mount(context).routes.map((route) => route.path)).toEqual(['/a', '/c']);
  });

  it('starts in order, stops in reverse, and stops the rest when one fails', async () => {
    const events: string[] = [];
    const lifecycle = (name: string, failStop = false) =>
      connector(name, {
        start: async () => void events.push(`start ${name}`),
        stop: async () => {
          events.push(`stop ${name}`);
          if (failStop) throw new Error(`${name} stuck`);
        },
      });
    const registry = createConnectorRegistry([lifecycle('a'), lifecycle('b', true), lifecycle('c')]);
    await registry.start(context);
    await expect(registry.stop()).rejects.toThrow(AggregateError);
    expect(events).toEqual(['start a', 'start b', 'start c', 'stop c', 'stop b', 'stop a']);
  });

  it("plugs every connector that can push into the outbox as its channel's sender", async () => {
    const sent: string[] = [];
    const registry = createConnectorRegistry([
      connector('sms', {
        capabilities: { ...TEXT_ONLY, push: true },
        send: async (target, replies) => {
          sent.push(`${target.address.userId}: ${replies.map((reply) => reply.text).join('|')}`);
          return replies.length;
        },
      }),
      connector('rest'),
    ]);
    const reply = { from: 'agent' as const, text: 'Sam here.' };
    const outbox = createOutbox({
      bus: createMemoryStores({ retentionMs: 60_000 }).bus,
      logger: silentLogger,
    });
    const unplug = registry.plugInto(outbox);
    const to = (channel: string, userId: string) => ({
      conversationId: `${channel}:${userId}`,
      address: { channel, userId },
      session: `${channel}:${userId}`,
    });
    // Delivered by the SMS connector; REST (no push) and an unknown channel are held for the next request.
    await expect(outbox.send(to('sms', '+4478'), [reply])).resolves.toEqual([]);
    await expect(outbox.send(to('rest', 'a'), [reply])).resolves.toEqual([reply]);
    expect(sent).toEqual(['+4478: Sam here.']);
    unplug();
    await expect(outbox.send(to('sms', '+4478'), [reply])).resolves.toEqual([]);
    expect(sent).toHaveLength(1);
  });
});
