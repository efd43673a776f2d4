import type { Logger, TurnQueue } from '../../core/ports';
import { LocalTurnQueue } from '../local-turn-queue';
import { LuaScript, type RedisClient } from './client';
import type { RedisKeys } from './keys';

/*
 * A fair ticket lock per conversation, shared by every process (all keys in the conversation's slot):
 *   next     INCR on arrival hands out tickets in arrival order;
 *   serving  the ticket allowed to run;
 *   lease    exists while the serving ticket's holder is alive (set when serving moves, renewed by the
 *            holder's heartbeat). When it lapses, a waiter moves serving past the dead or absent holder.
 * All times are Redis's own (PX), so process clocks never have to agree.
 */

// KEYS: next, serving, lease. ARGV: leaseMs, retentionMs. Resets the counters if they expired while idle.
const ARRIVE = new LuaScript(`
local ticket = redis.call('INCR', KEYS[1])
redis.call('PEXPIRE', KEYS[1], ARGV[2])
local serving = tonumber(redis.call('GET', KEYS[2]))
if serving == nil or serving > ticket then
  redis.call('SET', KEYS[2], ticket, 'PX', ARGV[2])
  redis.call('SET', KEYS[3], ticket, 'PX', ARGV[1])
else
  redis.call('PEXPIRE', KEYS[2], ARGV[2])
end
return ticket
`);

// KEYS: next, serving, lease. ARGV: ticket, leaseMs, retentionMs.
// Returns 1 (your turn, lease taken), 0 (keep waiting) or -1 (your ticket was skipped: take a new one).
const ACQUIRE = new LuaScript(`
local ticket = tonumber(ARGV[1])
local serving = tonumber(redis.call('GET', KEYS[2]))
if serving == nil then serving = ticket end
if serving > ticket then return -1 end
if serving < ticket then
  if redis.call('EXISTS', KEYS[3]) == 1 then return 0 end
  serving = serving + 1
  redis.call('SET', KEYS[2], serving, 'PX', ARGV[3])
  if serving < ticket then
    redis.call('SET', KEYS[3], serving, 'PX', ARGV[2])
    return 0
  end
end
redis.call('SET', KEYS[2], ticket, 'PX', ARGV[3])
redis.call('SET', KEYS[3], ticket, 'PX', ARGV[2])
redis.call('PEXPIRE', KEYS[1], ARGV[3])
return 1
`);

// KEYS: next, serving, lease. ARGV: ticket, leaseMs, retentionMs. Returns 1 while the ticket still holds.
const RENEW = new LuaScript(`
if tonumber(redis.call('GET', KEYS[2])) ~= tonumber(ARGV[1]) then return 0 end
redis.call('SET', KEYS[3], ARGV[1], 'PX', ARGV[2])
redis.call('PEXPIRE', KEYS[2], ARGV[3])
redis.call('PEXPIRE', KEYS[1], ARGV[3])
return 1
`);

// KEYS: next, serving, lease. ARGV: ticket, leaseMs, retentionMs. Hands the turn to the next ticket, which
// gets a fresh lease to show up in.
const RELEASE = new LuaScript(`
local ticket = tonumber(ARGV[1])
if tonumber(redis.call('GET', KEYS[2])) ~= ticket then return 0 end
redis.call('SET', KEYS[2], ticket + 1, 'PX', ARGV[3])
redis.call('SET', KEYS[3], ticket + 1, 'PX', ARGV[2])
redis.call('PEXPIRE', KEYS[1], ARGV[3])
return 1
`);

export interface RedisTurnQueueOptions {
  leaseMs: number;
  retentionMs: number;
  logger: Logger;
  /** Longest pause between two checks while waiting; the first checks come much sooner. */
  maxPollMs?: number;
}

/** Raised to turns still waiting when the stores close. */
export class StoresClosedError extends Error {
  constructor() {
    super('stores closed');
    this.name = 'StoresClosedError';
  }
}

interface Sleeper {
  timer: NodeJS.Timeout;
  reject: (error: Error) => void;
}

/**
 * Turns of one conversation run one at a time in arrival order across every process sharing the Redis.
 * Within a process, turns also queue locally, so only the head of each conversation polls Redis.
 */
export class RedisTurnQueue implements TurnQueue {
  private readonly local = new LocalTurnQueue();
  private readonly sleepers = new Set<Sleeper>();
  private readonly heartbeats = new Set<NodeJS.Timeout>();
  private readonly maxPollMs: number;
  private closed = false;

  constructor(
    private readonly client: RedisClient,
    private readonly keys: RedisKeys,
    private readonly options: RedisTurnQueueOptions,
  ) {
    this.maxPollMs = Math.max(1, Math.min(options.maxPollMs ?? 50, options.leaseMs / 4));
  }

  run<T>(conversationId: string, work: () => Promise<T>): Promise<T> {
    if (this.closed) return Promise.reject(new StoresClosedError());
    // The ticket is taken now, not when the local predecessor finishes: arrival order is call order.
    const ticket = this.arrive(conversationId);
    ticket.catch(() => undefined); // handled below; avoids an unhandled rejection while queued locally
    return this.local.run(conversationId, async () => {
      const held = await this.waitForTurn(conversationId, await ticket);
      const heartbeat = this.startHeartbeat(conversationId, held);
      try {
        return await work();
      } finally {
        clearInterval(heartbeat);
        this.heartbeats.delete(heartbeat);
        await this.release(conversationId, held);
      }
    });
  }

  /** Stops heartbeats and fails waiting turns; a turn already running keeps its work but loses its lease. */
  close(): void {
    this.closed = true;
    for (const heartbeat of this.heartbeats) clearInterval(heartbeat);
    this.heartbeats.clear();
    for (const sleeper of this.sleepers) {
      clearTimeout(sleeper.timer);
      sleeper.reject(new StoresClosedError());
    }
    this.sleepers.clear();
  }

  private async arrive(conversationId: string): Promise<number> {
    const { next, serving, lease } = this.keys.turn(conversationId);
    const { leaseMs, retentionMs } = this.options;
    return Number(await ARRIVE.run(this.client, [next, serving, lease], [leaseMs, retentionMs]));
  }

  private async waitForTurn(conversationId: string, firstTicket: number): Promise<number> {
    const { next, serving, lease } = this.keys.turn(conversationId);
    const { leaseMs, retentionMs } = this.options;
    let ticket = firstTicket;
    let pause = 1;
    for (;;) {
      if (this.closed) throw new StoresClosedError();
      const outcome = Number(
        await ACQUIRE.run(this.client, [next, serving, lease], [ticket, leaseMs, retentionMs]),
      );
      if (outcome === 1) return ticket;
      if (outcome === -1) {
        // Only happens if this process stalled for a whole lease before starting: rejoin at the back.
        this.options.logger.warn({ conversationId, ticket }, 'turn ticket skipped after its lease lapsed');
        ticket = await this.arrive(conversationId);
        pause = 1;
        continue;
      }
      await this.sleep(pause);
      pause = Math.min(pause * 2, this.maxPollMs);
    }
  }

  private startHeartbeat(conversationId: string, ticket: number): NodeJS.Timeout {
    const { next, serving, lease } = this.keys.turn(conversationId);
    const { leaseMs, retentionMs, logger } = this.options;
    const heartbeat = setInterval(() => {
      RENEW.run(this.client, [next, serving, lease], [ticket, leaseMs, retentionMs]).then(
        (held) => {
          if (Number(held) !== 1) logger.warn({ conversationId, ticket }, 'turn lease lost while running');
        },
        (error: unknown) => logger.warn({ err: error, conversationId, ticket }, 'turn lease renewal failed'),
      );
    }, leaseMs / 3);
    this.heartbeats.add(heartbeat);
    return heartbeat;
  }

  // A failed release is logged, not thrown: the turn's own result matters more, and the lease will lapse.
  private async release(conversationId: string, ticket: number): Promise<void> {
    const { next, serving, lease } = this.keys.turn(conversationId);
    const { leaseMs, retentionMs, logger } = this.options;
    try {
      await RELEASE.run(this.client, [next, serving, lease], [ticket, leaseMs, retentionMs]);
    } catch (error) {
      logger.warn({ err: error, conversationId, ticket }, 'turn release failed; the lease will lapse');
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve, reject) => {
      const sleeper: Sleeper = {
        timer: setTimeout(() => {
          this.sleepers.delete(sleeper);
          resolve();
        }, ms),
        reject,
      };
      this.sleepers.add(sleeper);
    });
  }
}
