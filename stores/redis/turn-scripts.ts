import { LuaScript } from './client';

/*
 * A fair ticket lock per conversation, shared by every process (all keys in the conversation's slot):
 *   next      INCR on arrival hands out tickets in arrival order;
 *   serving   the ticket allowed to run;
 *   lease     exists while the serving ticket's holder is alive (set when serving moves, renewed by the
 *             holder's heartbeat);
 *   alive     ticket -> until when its process last showed it is alive (Redis time, ms). A process
 *             refreshes every ticket it holds or waits with, whenever it polls or renews.
 *   sequence  the highest client message number that took a ticket (`metadata.sequence`).
 * When the lease lapses, serving moves in one step past the silent holder and every silent ticket behind
 * it, to the first ticket whose process is alive: a dead process's queue costs one lease, not one each.
 * All times are Redis's own, so process clocks never have to agree.
 *
 * Every script takes KEYS next, serving, lease, alive (then its own), and ARGV leaseMs, retentionMs first.
 */

// Shared Lua: the time in ms, and moving `serving` from ticket `from` to the first live ticket.
const COMMON = `
local function now_ms()
  local t = redis.call('TIME')
  return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end
-- A ticket is live when its process refreshed it within the last half lease (live waiters refresh at
-- least every quarter lease; a dead process's tickets stopped when its lease did).
local function live(ticket, now, lease_ms)
  local seen = tonumber(redis.call('HGET', KEYS[4], ticket))
  return seen ~= nil and seen > now + lease_ms / 2
end
-- Serves the first live ticket from 'from' up to 'last' (or 'last' itself when 'last' is live by
-- definition, e.g. the caller's own). Returns the ticket now served, or nil when nobody waits.
local function serve_from(from, last, now, lease_ms, retention_ms, last_is_caller)
  local t = from
  while t <= last do
    if (last_is_caller and t == last) or live(t, now, lease_ms) then
      redis.call('SET', KEYS[2], t, 'PX', retention_ms)
      redis.call('SET', KEYS[3], t, 'PX', lease_ms)
      return t
    end
    redis.call('HDEL', KEYS[4], t)
    t = t + 1
  end
  redis.call('SET', KEYS[2], t, 'PX', retention_ms)
  redis.call('DEL', KEYS[3])
  return nil
end
local function refresh(list, now, lease_ms)
  for t in string.gmatch(list, '%d+') do
    if redis.call('HEXISTS', KEYS[4], t) == 1 then redis.call('HSET', KEYS[4], t, now + lease_ms) end
  end
end
local function keep(retention_ms)
  redis.call('PEXPIRE', KEYS[1], retention_ms)
  redis.call('PEXPIRE', KEYS[4], retention_ms)
end
-- Hands the turn from 'ticket' to the next live ticket (or to nobody).
local function release(ticket, now, lease_ms, retention_ms)
  redis.call('HDEL', KEYS[4], ticket)
  local last = tonumber(redis.call('GET', KEYS[1])) or ticket
  serve_from(ticket + 1, last, now, lease_ms, retention_ms, false)
  keep(retention_ms)
end
`;

/** Lua source for scripts that release the lock as part of something else (a turn's commit). */
export const TURN_LOCK_LUA = COMMON;

// Takes a ticket (KEYS[5] is the sequence key). Returns the ticket, or 0 when a numbered message must wait
// for its predecessor ('' for none: no wait; force '1' once the wait ran out).
const TAKE_TICKET = `
local function take_ticket(lease_ms, retention_ms, sequence, force)
  if sequence ~= '' then
    local seq = tonumber(sequence)
    local last = tonumber(redis.call('GET', KEYS[5]))
    -- Numbers start at 0 or 1; a higher first number may have a predecessor still on its way.
    if force ~= '1' and seq > (last or 0) + 1 then return 0 end
    if last == nil or seq > last then last = seq end
    redis.call('SET', KEYS[5], last, 'PX', retention_ms)
  end
  local now = now_ms()
  local ticket = redis.call('INCR', KEYS[1])
  redis.call('HSET', KEYS[4], ticket, now + lease_ms)
  local serving = tonumber(redis.call('GET', KEYS[2]))
  if serving == nil or serving > ticket then
    -- First arrival, or the counters expired while idle: start serving from here.
    redis.call('SET', KEYS[2], ticket, 'PX', retention_ms)
    redis.call('SET', KEYS[3], ticket, 'PX', lease_ms)
  else
    redis.call('PEXPIRE', KEYS[2], retention_ms)
    if redis.call('EXISTS', KEYS[3]) == 0 and serving == ticket then
      redis.call('SET', KEYS[3], ticket, 'PX', lease_ms)
    end
  end
  keep(retention_ms)
  return ticket
end
`;

// KEYS + sequence. ARGV leaseMs, retentionMs, sequence ('' for none), force ('1' once the wait ran out).
// Returns the ticket, or 0 when a numbered message must wait for its predecessor.
export const ARRIVE = new LuaScript(`${COMMON}${TAKE_TICKET}
return take_ticket(tonumber(ARGV[1]), tonumber(ARGV[2]), ARGV[3], ARGV[4])
`);

/*
 * A turn's first round trip. KEYS next, serving, lease, alive, sequence, state, seen; on a single Redis
 * node also the address, then the expected customer's conversation, addresses and conversation index.
 * ARGV leaseMs, retentionMs, sequence, force, has-seen ('1': KEYS[7] is the message's dedupe record), then
 * with the identity keys: customer id and conversation id for a first sight, the address (set member),
 * and the customer and conversation the caller expects (whose keys it sent).
 * With identity keys it first claims the address and the customer's active conversation as the identity
 * store does (same writes), and stops when they are not the expected ones: {-1} (another customer owns
 * the address) or {-2, conversation}. Otherwise it takes a ticket ({0}: wait for the predecessor's
 * number) and, when the ticket is served at once, takes the lease and reads the state and the dedupe
 * record: {ticket, 1, state|nil, seen|nil}; {ticket, 0} when the turn must queue.
 */
export const BEGIN = new LuaScript(`${COMMON}${TAKE_TICKET}
local lease_ms, retention_ms = tonumber(ARGV[1]), tonumber(ARGV[2])
if #KEYS > 7 then
  local owner = redis.call('GET', KEYS[8])
  if not owner then owner = ARGV[6] end
  redis.call('SET', KEYS[8], owner, 'PX', retention_ms)
  if owner ~= ARGV[9] then return {-1} end
  local conversation = redis.call('GET', KEYS[9])
  if not conversation then conversation = ARGV[7] end
  redis.call('SET', KEYS[9], conversation, 'PX', retention_ms)
  redis.call('SADD', KEYS[10], ARGV[8])
  redis.call('PEXPIRE', KEYS[10], retention_ms)
  redis.call('SADD', KEYS[11], conversation)
  redis.call('PEXPIRE', KEYS[11], retention_ms)
  if conversation ~= ARGV[10] then return {-2, conversation} end
end
local ticket = take_ticket(lease_ms, retention_ms, ARGV[3], ARGV[4])
if ticket == 0 then return {0} end
if tonumber(redis.call('GET', KEYS[2])) ~= ticket then return {ticket, 0} end
redis.call('SET', KEYS[3], ticket, 'PX', lease_ms)
local seen = false
if ARGV[5] == '1' then seen = redis.call('GET', KEYS[7]) end
return {ticket, 1, redis.call('GET', KEYS[6]), seen}
`);

// ARGV leaseMs, retentionMs, ticket, this process's tickets (comma-separated).
// Returns 1 (your turn, lease taken), 0 (keep waiting) or -1 (your ticket was skipped as dead).
export const ACQUIRE = new LuaScript(`${COMMON}
local lease_ms, retention_ms, ticket = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
local now = now_ms()
refresh(ARGV[4], now, lease_ms)
local serving = tonumber(redis.call('GET', KEYS[2]))
if serving == nil then serving = ticket end
if serving > ticket then return -1 end
if serving < ticket then
  if redis.call('EXISTS', KEYS[3]) == 1 then return 0 end
  -- The served ticket had a whole lease to start or renew and did not: its process is gone.
  redis.call('HDEL', KEYS[4], serving)
  if serve_from(serving + 1, ticket, now, lease_ms, retention_ms, true) ~= ticket then return 0 end
end
redis.call('SET', KEYS[2], ticket, 'PX', retention_ms)
redis.call('SET', KEYS[3], ticket, 'PX', lease_ms)
keep(retention_ms)
return 1
`);

// ARGV leaseMs, retentionMs, ticket, this process's tickets. Returns 1 while the ticket still holds.
export const RENEW = new LuaScript(`${COMMON}
local lease_ms, retention_ms = tonumber(ARGV[1]), tonumber(ARGV[2])
local now = now_ms()
refresh(ARGV[4], now, lease_ms)
keep(retention_ms)
if tonumber(redis.call('GET', KEYS[2])) ~= tonumber(ARGV[3]) then return 0 end
redis.call('SET', KEYS[3], ARGV[3], 'PX', lease_ms)
redis.call('PEXPIRE', KEYS[2], retention_ms)
return 1
`);

// ARGV leaseMs, retentionMs, ticket. Hands the turn to the next live ticket. Returns 0 if not held.
export const RELEASE = new LuaScript(`${COMMON}
local ticket = tonumber(ARGV[3])
if tonumber(redis.call('GET', KEYS[2])) ~= ticket then
  redis.call('HDEL', KEYS[4], ticket)
  return 0
end
release(ticket, now_ms(), tonumber(ARGV[1]), tonumber(ARGV[2]))
return 1
`);

// ARGV leaseMs, retentionMs, ticket. Forgets a ticket whose turn will not run (skipped, or given up).
export const FORGET = new LuaScript(`
redis.call('HDEL', KEYS[4], ARGV[3])
return 1
`);
