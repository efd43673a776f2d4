import type { Connector, ConnectorContext, ConnectorMount } from './connector';
import type { HttpRoute, SocketEndpoint } from './http';
import { CHANNEL_NAME, isChannelName, type ChannelName } from './message';
import type { Outbox } from './ports';

/** Thrown at registration: a bad or duplicate channel name, or push declared without a sender. */
export class ConnectorRegistrationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConnectorRegistrationError';
  }
}

/**
 * The connectors one server runs. Register each with one line; the HTTP server mounts them, `start`/`stop`
 * run their own transports, and `plugInto` gives the outbox every connector's out-of-turn sender.
 *
 * @example
 * const connectors = createConnectorRegistry();
 * connectors.register(createRestConnector({ token: config.restToken }));
 * connectors.register(createWebChatConnector({ title: 'Acme support' }));
 */
export interface ConnectorRegistry {
  /** Adds connectors (a vendor may bring several channels, e.g. SMS and WhatsApp). */
  register(...connectors: Connector[]): void;
  get(name: ChannelName): Connector | undefined;
  list(): readonly Connector[];
  /** Every connector's routes and sockets, each mounted once per registry. */
  mount(context: ConnectorContext): Required<ConnectorMount>;
  /** Starts every connector with a transport of its own, in registration order. */
  start(context: ConnectorContext): Promise<void>;
  /** Stops them in reverse order; a failure in one does not keep the others running. */
  stop(): Promise<void>;
  /**
   * Registers every connector that can push as the outbox's sender for its channel, so agents' replies and
   * hand-backs reach customers on that channel; returns the unplug.
   */
  plugInto(outbox: Pick<Outbox, 'register'>): () => void;
}

export function createConnectorRegistry(connectors: readonly Connector[] = []): ConnectorRegistry {
  const byName = new Map<ChannelName, Connector>();
  const started: Connector[] = [];

  function add(connector: Connector): void {
    if (!isChannelName(connector.name)) {
      throw new ConnectorRegistrationError(
        `connector name "${connector.name}" must match ${CHANNEL_NAME} (lower-case letters, digits, dashes)`,
      );
    }
    if (byName.has(connector.name)) {
      throw new ConnectorRegistrationError(`a connector named "${connector.name}" is already registered`);
    }
    if (connector.capabilities.push && !connector.send) {
      throw new ConnectorRegistrationError(`connector "${connector.name}" declares push but has no send()`);
    }
    byName.set(connector.name, connector);
  }

  const registry: ConnectorRegistry = {
    register(...connectors) {
      for (const connector of connectors) add(connector);
    },
    get: (name) => byName.get(name),
    list: () => [...byName.values()],
    mount(context) {
      const routes: HttpRoute[] = [];
      const sockets: SocketEndpoint[] = [];
      for (const connector of byName.values()) {
        const mounted = connector.mount?.(context);
        routes.push(...(mounted?.routes ?? []));
        sockets.push(...(mounted?.sockets ?? []));
      }
      return { routes, sockets };
    },
    async start(context) {
      for (const connector of byName.values()) {
        if (!connector.start) continue;
        await connector.start(context);
        started.push(connector);
      }
    },
    async stop() {
      const failures: unknown[] = [];
      for (const connector of started.splice(0).reverse()) {
        await connector.stop?.().catch((error: unknown) => failures.push(error));
      }
      if (failures.length > 0) throw new AggregateError(failures, 'some connectors failed to stop');
    },
    plugInto(outbox) {
      const unplug = [...byName.values()].flatMap((connector) =>
        connector.capabilities.push && connector.send
          ? [outbox.register(connector.name, connector.send)]
          : [],
      );
      return () => unplug.forEach((undo) => undo());
    },
  };
  registry.register(...connectors);
  return registry;
}
