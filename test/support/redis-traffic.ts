import { Socket } from 'node:net';

/** What this process sent to Redis since the counter started (or was reset). */
export interface RedisTraffic {
  /** `socket.write` calls on sockets to the Redis port: one per command, or one per auto-pipelined batch. */
  writes: number;
  /**
   * Writes that followed a reply from Redis on the same socket (or were the socket's first): each one is a
   * round trip the client waited for. With one turn at a time this is that turn's round trips exactly;
   * under concurrent load, writes of several turns between two replies count once, so it undercounts.
   */
  roundTrips: number;
}

export interface RedisTrafficCounter {
  read(): RedisTraffic;
  reset(): void;
  stop(): void;
}

/**
 * Counts writes to sockets whose remote port is `port` by wrapping `Socket.prototype.write` in this process
 * (a bench server or a test; never the product). Measures what the client did, not what the server ran:
 * for commands, use INFO commandstats.
 */
export function countRedisTraffic(port: number): RedisTrafficCounter {
  const traffic: RedisTraffic = { writes: 0, roundTrips: 0 };
  // Per socket: true once a reply came in since its last write.
  const answered = new WeakMap<Socket, { value: boolean }>();
  const original = Socket.prototype.write;
  const counting = function (this: Socket, ...args: unknown[]): boolean {
    if (this.remotePort === port) {
      let flag = answered.get(this);
      if (!flag) {
        flag = { value: true };
        const mark = flag;
        answered.set(this, mark);
        this.on('data', () => (mark.value = true));
      }
      traffic.writes += 1;
      if (flag.value) traffic.roundTrips += 1;
      flag.value = false;
    }
    return (original as (...a: unknown[]) => boolean).apply(this, args);
  };
  Socket.prototype.write = counting as typeof Socket.prototype.write;
  return {
    read: () => ({ ...traffic }),
    reset: () => {
      traffic.writes = 0;
      traffic.roundTrips = 0;
    },
    stop: () => {
      if (Socket.prototype.write === counting) Socket.prototype.write = original;
    },
  };
}
