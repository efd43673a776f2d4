import { TurnLockLostError, type TurnCommit, type TurnCommitter } from '../../core/ports';
import { LuaScript, type RedisClient } from './client';
import type { RedisKeys } from './keys';
import type { RedisTurnQueue } from './turn-queue';
import { TURN_LOCK_LUA } from './turn-scripts';

// KEYS next, serving, lease, alive, state, transcript[, seen]. ARGV leaseMs, retentionMs, ticket ('' outside
// a turn), state JSON (''), replies JSON (''), the state, transcript and dedupe TTLs, then the transcript
// lines. Returns 1, or -1 when the ticket no longer holds the lock (nothing written).
export const COMMIT = new LuaScript(`${TURN_LOCK_LUA}
local lease_ms, retention_ms = tonumber(ARGV[1]), tonumber(ARGV[2])
local ticket = tonumber(ARGV[3])
local state_ms, transcript_ms, dedupe_ms = tonumber(ARGV[6]), tonumber(ARGV[7]), tonumber(ARGV[8])
if ticket ~= nil and tonumber(redis.call('GET', KEYS[2])) ~= ticket then return -1 end
if ARGV[4] ~= '' then redis.call('SET', KEYS[5], ARGV[4], 'PX', state_ms) end
if #ARGV > 8 then
  for i = 9, #ARGV do redis.call('RPUSH', KEYS[6], ARGV[i]) end
  redis.call('PEXPIRE', KEYS[6], transcript_ms)
end
if ARGV[5] ~= '' then redis.call('SET', KEYS[7], ARGV[5], 'PX', dedupe_ms) end
if ticket ~= nil then release(ticket, now_ms(), lease_ms, retention_ms) end
return 1
`);

export interface RedisTurnCommitterOptions {
  leaseMs: number;
  /** The turn queue's keys' TTL, and each written key's unless `ttls` says otherwise. */
  retentionMs: number;
  /** TTLs of the state, the transcript and the dedupe record (their data classes' retention). */
  ttls?: { stateMs?: number; transcriptMs?: number; dedupeMs?: number };
}

/**
 * A turn's state, lines, dedupe record and the release of its lock in one Lua script: Redis runs a script
 * whole or not at all, and every key is in the conversation's slot, so this holds on a Cluster too.
 */
export class RedisTurnCommitter implements TurnCommitter {
  constructor(
    private readonly client: RedisClient,
    private readonly keys: RedisKeys,
    private readonly turns: RedisTurnQueue,
    private readonly options: RedisTurnCommitterOptions,
  ) {}

  async commit(turn: TurnCommit): Promise<void> {
    const { conversationId, state, entries, processed } = turn;
    const lock = this.keys.turn(conversationId);
    const keys = [lock.next, lock.serving, lock.lease, lock.alive];
    keys.push(this.keys.state(conversationId), this.keys.transcript(conversationId));
    if (processed) keys.push(this.keys.seen(conversationId, processed.messageId));
    const held = this.turns.heldTurn(conversationId);
    const args = [
      this.options.leaseMs,
      this.options.retentionMs,
      held?.ticket ?? '',
      state ? JSON.stringify(state) : '',
      processed ? JSON.stringify(processed.replies) : '',
      this.options.ttls?.stateMs ?? this.options.retentionMs,
      this.options.ttls?.transcriptMs ?? this.options.retentionMs,
      this.options.ttls?.dedupeMs ?? this.options.retentionMs,
      ...entries.map((entry) => JSON.stringify(entry)),
    ];
    const outcome = Number(await COMMIT.run(this.client, keys, args));
    if (outcome === -1) throw new TurnLockLostError(conversationId);
    held?.released();
  }
}
