import type {
  ChannelAddress,
  IdentityStore,
  Logger,
  ResolvedCustomer,
  TurnOrder,
  TurnQueue,
} from '../../core/ports';
import { LocalTurnQueue } from '../local-turn-queue';
import type { RedisClient } from './client';
import { addressMember } from './identity-store';
import type { RedisKeys, TurnKeys } from './keys';
import { ACQUIRE, BEGIN, FORGET, RELEASE, RENEW } from './turn-scripts';
import { LoadedTurns, type Loaded } from './loaded-turns';

export interface RedisTurnQueueOptions {
  /**
   * How long a turn holder (or a process with turns waiting) may go silent before others move past it.
   * Holders renew every third of it, so a conversation whose process died answers again about one lease
   * after the death, however many of its turns were queued there.
   */
  leaseMs: number;
  retentionMs: number;
  logger: Logger;
  /** Longest pause between two checks while waiting; the first checks come much sooner. */
  maxPollMs?: number;
  /** How long a numbered message waits for its predecessor to arrive. Default 2 s. */
  sequenceWaitMs?: number;
  /** Resolves customers for `runFor` when the claim cannot go with the turn's first script. */
  identities: IdentityStore;
  /**
   * True on a single Redis node: `runFor` claims the address and the conversation in the turn's first
   * script. A Cluster keeps an address, a customer and a conversation in three slots, so it cannot.
   */
  claimWithTurn: boolean;
}

/** Where a customer's address led last time, per address; a wrong guess costs one more round trip. */
const REMEMBERED_ADDRESSES = 10_000;

type Arrival =
  | { kind: 'ticket'; ticket: number; loaded?: Loaded }
  | { kind: 'moved' }
  | { kind: 'elsewhere'; conversationId: string };

interface Claim {
  address: ChannelAddress;
  hint: ResolvedCustomer;
  expected: ResolvedCustomer;
}

/** Raised to turns still waiting when the stores close. */
export class StoresClosedError extends Error {
  constructor() {
    super('stores closed');
    this.name = 'StoresClosedError';
  }
}

/** A waiting turn was passed over because its process went silent longer than half a lease. */
export class TurnSkippedError extends Error {
  constructor(readonly conversationId: string) {
    super(`turn of ${conversationId} was passed over while this process stalled; retry the message`);
    this.name = 'TurnSkippedError';
  }
}

interface Sleeper {
  timer: NodeJS.Timeout;
  reject: (error: Error) => void;
}

/** The lock this process holds on a conversation, for a commit that releases it in the same step. */
export interface HeldTurn {
  ticket: number;
  /** Tells the queue the commit released the lock, so it does not release it again. */
  released(): void;
}

/**
 * Turns of one conversation run one at a time in ticket order across every process sharing the Redis.
 * A turn takes its ticket with the first command it sends; within a process, turns then queue locally in
 * ticket order, so only the head of each conversation polls Redis (and keeps its siblings' tickets alive).
 */
export class RedisTurnQueue implements TurnQueue {
  private readonly local = new LocalTurnQueue();
  private readonly sleepers = new Set<Sleeper>();
  private readonly heartbeats = new Set<NodeJS.Timeout>();
  /** Tickets this process took and has not finished, per conversation. */
  private readonly mine = new Map<string, Set<number>>();
  private readonly held = new Map<string, { ticket: number; released: boolean }>();
  /** What the first script of each running turn read with its lock, for the stores' first reads. */
  readonly loaded = new LoadedTurns();
  private readonly remembered = new Map<string, ResolvedCustomer>();
  /** The last ARRIVE sent per conversation, settled or not. */
  private readonly arrivals = new Map<string, Promise<unknown>>();
  private readonly maxPollMs: number;
  private closed = false;

  constructor(
    private readonly client: RedisClient,
    private readonly keys: RedisKeys,
    private readonly options: RedisTurnQueueOptions,
  ) {
    this.maxPollMs = Math.max(1, Math.min(options.maxPollMs ?? 50, options.leaseMs / 4));
  }

  run<T>(conversationId: string, work: () => Promise<T>, order: TurnOrder = {}): Promise<T> {
    if (this.closed) return Promise.reject(new StoresClosedError());
    // Arrivals of one conversation go one at a time (see `takeTicket`), so turns join the local queue in
    // ticket order, and tickets follow call order.
    return this.arrive(conversationId, order).then((arrival) => {
      if (arrival.kind !== 'ticket') throw new Error('an arrival without a claim cannot be redirected');
      return this.queue(conversationId, arrival, work);
    });
  }

  /**
   * Resolves the customer and starts their turn. On a single node one script claims the address and the
   * conversation (as the identity store would), takes the ticket and, when the turn may run at once, its
   * lease, state and dedupe record: with the commit, two round trips. It guesses the customer and
   * conversation (the last ones seen for this address, else the hint) and falls back to the identity
   * store when the guess was wrong.
   */
  async runFor<T>(
    address: ChannelAddress,
    hint: ResolvedCustomer,
    work: (who: ResolvedCustomer) => Promise<T>,
    order: TurnOrder = {},
  ): Promise<T> {
    if (this.closed) throw new StoresClosedError();
    if (!this.options.claimWithTurn) {
      const who = await this.options.identities.resolve(address, hint);
      return this.run(who.conversationId, () => work(who), order);
    }
    const member = addressMember(address);
    const expected = this.remembered.get(member) ?? hint;
    const arrival = await this.arrive(expected.conversationId, order, { address, hint, expected });
    let who = expected;
    if (arrival.kind === 'moved') who = await this.options.identities.resolve(address, hint);
    if (arrival.kind === 'elsewhere') who = { ...expected, conversationId: arrival.conversationId };
    this.remember(member, who);
    if (arrival.kind !== 'ticket') return this.run(who.conversationId, () => work(who), order);
    return this.queue(who.conversationId, arrival, () => work(who));
  }

  private remember(member: string, who: ResolvedCustomer): void {
    this.remembered.delete(member);
    this.remembered.set(member, who);
    if (this.remembered.size > REMEMBERED_ADDRESSES) {
      const oldest = this.remembered.keys().next();
      if (!oldest.done) this.remembered.delete(oldest.value);
    }
  }

  private queue<T>(
    conversationId: string,
    arrival: { ticket: number; loaded?: Loaded },
    work: () => Promise<T>,
  ): Promise<T> {
    const { ticket, loaded } = arrival;
    return this.local.run(conversationId, async () => {
      try {
        // Served at once by the first script: the lease is already taken.
        if (!loaded) await this.waitForTurn(conversationId, ticket);
      } catch (error) {
        this.forget(conversationId, ticket);
        throw error;
      }
      return this.hold(conversationId, ticket, work, loaded);
    });
  }

  /** The lock this process holds on `conversationId` right now (inside `run`), if any. */
  heldTurn(conversationId: string): HeldTurn | undefined {
    const held = this.held.get(conversationId);
    if (!held || held.released) return undefined;
    return { ticket: held.ticket, released: () => (held.released = true) };
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

  private async hold<T>(
    conversationId: string,
    ticket: number,
    work: () => Promise<T>,
    loaded: Loaded | undefined,
  ): Promise<T> {
    const held = { ticket, released: false };
    this.held.set(conversationId, held);
    if (loaded) this.loaded.set(conversationId, loaded);
    const heartbeat = this.startHeartbeat(conversationId, ticket);
    try {
      return await work();
    } finally {
      this.loaded.drop(conversationId);
      clearInterval(heartbeat);
      this.heartbeats.delete(heartbeat);
      this.held.delete(conversationId);
      this.mine.get(conversationId)?.delete(ticket);
      if (this.mine.get(conversationId)?.size === 0) this.mine.delete(conversationId);
      if (!held.released) await this.release(conversationId, ticket);
    }
  }

  private turnKeys(conversationId: string): string[] {
    const { next, serving, lease, alive, sequence }: TurnKeys = this.keys.turn(conversationId);
    return [next, serving, lease, alive, sequence];
  }

  private siblings(conversationId: string): string {
    return [...(this.mine.get(conversationId) ?? [])].join(',');
  }

  /** The first script's keys: the lock's, the state, the dedupe record, then any identity claim's. */
  private beginKeys(conversationId: string, dedupeId: string | undefined, claim?: Claim): string[] {
    const state = this.keys.state(conversationId);
    const seen = dedupeId === undefined ? state : this.keys.seen(conversationId, dedupeId);
    const keys = [...this.turnKeys(conversationId), state, seen];
    if (!claim) return keys;
    const customer = this.keys.customer(claim.expected.customerId);
    const address = this.keys.address(claim.address.channel, claim.address.userId);
    return [...keys, address, customer.conversation, customer.addresses, customer.conversations];
  }

  /**
   * Takes a ticket (a numbered message first waits, bounded, for its predecessor's); with a claim, first
   * checks the guessed customer and conversation. Served at once, the arrival carries what it loaded.
   */
  private async arrive(conversationId: string, order: TurnOrder, claim?: Claim): Promise<Arrival> {
    const { leaseMs, retentionMs, sequenceWaitMs = 2000 } = this.options;
    const { sequence, dedupeId } = order;
    const keys = this.beginKeys(conversationId, dedupeId, claim);
    const claimArgs = claim
      ? [claim.hint.customerId, claim.hint.conversationId, addressMember(claim.address)]
      : [];
    const expected = claim ? [claim.expected.customerId, claim.expected.conversationId] : [];
    const deadline = Date.now() + sequenceWaitMs;
    for (let pause = 1; ; pause = Math.min(pause * 2, 20)) {
      const force = sequence === undefined || Date.now() >= deadline ? '1' : '0';
      const flags = [sequence ?? '', force, dedupeId === undefined ? '0' : '1'];
      const args = [leaseMs, retentionMs, ...flags, ...claimArgs, ...expected];
      const reply = (await this.takeTicket(conversationId, keys, args)) as Array<string | number | null>;
      const first = Number(reply[0]);
      if (first === -1) return { kind: 'moved' };
      if (first === -2) return { kind: 'elsewhere', conversationId: String(reply[1]) };
      if (first > 0) {
        const mine = this.mine.get(conversationId) ?? new Set<number>();
        this.mine.set(conversationId, mine.add(first));
        if (Number(reply[1]) !== 1) return { kind: 'ticket', ticket: first };
        const state = typeof reply[2] === 'string' ? reply[2] : null;
        const replies = typeof reply[3] === 'string' ? reply[3] : null;
        const seen = dedupeId === undefined ? {} : { seen: { dedupeId, replies } };
        return { kind: 'ticket', ticket: first, loaded: { state, ...seen } };
      }
      await this.sleep(pause);
    }
  }

  /**
   * Sends the first script once the previous one of this conversation has its reply. Pipelined commands may not
   * reach Redis in the order they were sent: a Redis Cluster client resends a command it could not hand
   * to a node (still connecting, moved slot, failover) later, behind the ones sent after it.
   */
  private takeTicket(conversationId: string, keys: string[], args: Array<string | number>): Promise<unknown> {
    const previous = this.arrivals.get(conversationId) ?? Promise.resolve();
    const sent = previous.then(() => BEGIN.run(this.client, keys, args));
    // A failed arrival fails its own turn only; the next one goes ahead.
    const settled = sent.catch(() => undefined);
    this.arrivals.set(conversationId, settled);
    void settled.then(() => {
      if (this.arrivals.get(conversationId) === settled) this.arrivals.delete(conversationId);
    });
    return sent;
  }

  private async waitForTurn(conversationId: string, ticket: number): Promise<void> {
    const { leaseMs, retentionMs, logger } = this.options;
    const keys = this.turnKeys(conversationId);
    for (let pause = 1; ; pause = Math.min(pause * 2, this.maxPollMs)) {
      if (this.closed) throw new StoresClosedError();
      const args = [leaseMs, retentionMs, ticket, this.siblings(conversationId)];
      const outcome = Number(await ACQUIRE.run(this.client, keys, args));
      if (outcome === 1) return;
      if (outcome === -1) {
        // Only when this process stalled for half a lease while waiting: its place is gone.
        logger.warn({ conversationId, ticket }, 'turn ticket passed over after this process stalled');
        throw new TurnSkippedError(conversationId);
      }
      await this.sleep(pause);
    }
  }

  private startHeartbeat(conversationId: string, ticket: number): NodeJS.Timeout {
    const { leaseMs, retentionMs, logger } = this.options;
    const keys = this.turnKeys(conversationId);
    const heartbeat = setInterval(() => {
      const args = [leaseMs, retentionMs, ticket, this.siblings(conversationId)];
      RENEW.run(this.client, keys, args).then(
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
    const { leaseMs, retentionMs, logger } = this.options;
    try {
      await RELEASE.run(this.client, this.turnKeys(conversationId), [leaseMs, retentionMs, ticket]);
    } catch (error) {
      logger.warn({ err: error, conversationId, ticket }, 'turn release failed; the lease will lapse');
    }
  }

  private forget(conversationId: string, ticket: number): void {
    this.mine.get(conversationId)?.delete(ticket);
    if (this.mine.get(conversationId)?.size === 0) this.mine.delete(conversationId);
    if (this.closed) return;
    const { leaseMs, retentionMs } = this.options;
    FORGET.run(this.client, this.turnKeys(conversationId), [leaseMs, retentionMs, ticket]).catch(
      () => undefined, // unrefreshed, it is skipped as dead anyway
    );
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
