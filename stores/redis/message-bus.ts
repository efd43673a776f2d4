import type { JsonValue } from '../../core/json';
import type { Logger, MessageBus } from '../../core/ports';
import type { RedisClient } from './client';
import type { RedisKeys } from './keys';

type Handler = (payload: JsonValue) => void;

interface Channel {
  handlers: Set<Handler>;
  ready: Promise<unknown>;
}

/**
 * Redis pub/sub between processes. One subscription per channel however many local handlers; standalone
 * Redis uses PUBLISH/SUBSCRIBE, a cluster sharded pub/sub so a message only travels within its shard.
 */
export class RedisMessageBus implements MessageBus {
  private readonly channels = new Map<string, Channel>();

  constructor(
    private readonly publisher: RedisClient,
    private readonly subscriber: RedisClient,
    private readonly keys: RedisKeys,
    private readonly sharded: boolean,
    private readonly logger: Logger,
  ) {
    const event = sharded ? 'smessage' : 'message';
    subscriber.on(event, (channel: string, message: string) => this.deliver(channel, message));
  }

  async publish(topic: string, payload: JsonValue): Promise<void> {
    const channel = this.keys.channel(topic);
    const message = JSON.stringify(payload);
    if (this.sharded) await this.publisher.spublish(channel, message);
    else await this.publisher.publish(channel, message);
  }

  async subscribe(topic: string, handler: Handler): Promise<() => Promise<void>> {
    const name = this.keys.channel(topic);
    let channel = this.channels.get(name);
    if (!channel) {
      const ready = this.sharded ? this.subscriber.ssubscribe(name) : this.subscriber.subscribe(name);
      channel = { handlers: new Set(), ready };
      this.channels.set(name, channel);
    }
    // A fresh wrapper per subscription, so subscribing the same function twice needs two unsubscribes.
    const entry: Handler = (payload) => handler(payload);
    channel.handlers.add(entry);
    await channel.ready;
    const subscribed = channel;
    return async () => {
      subscribed.handlers.delete(entry);
      if (subscribed.handlers.size > 0 || this.channels.get(name) !== subscribed) return;
      this.channels.delete(name);
      if (this.sharded) await this.subscriber.sunsubscribe(name);
      else await this.subscriber.unsubscribe(name);
    };
  }

  private deliver(channel: string, message: string): void {
    const handlers = this.channels.get(channel)?.handlers;
    if (!handlers) return;
    let payload: JsonValue;
    try {
      payload = JSON.parse(message) as JsonValue;
    } catch (error) {
      this.logger.warn({ err: error, channel }, 'message bus: ignored a message that is not JSON');
      return;
    }
    for (const handler of [...handlers]) {
      try {
        // Each handler gets its own copy: one cannot change what the next one sees.
        handler(handlers.size > 1 ? (JSON.parse(message) as JsonValue) : payload);
      } catch (error) {
        this.logger.error({ err: error, channel }, 'message bus subscriber failed');
      }
    }
  }
}
