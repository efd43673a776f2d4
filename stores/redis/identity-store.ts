import {
  CustomerNotFoundError,
  type ChannelAddress,
  type CustomerScope,
  type IdentityStore,
  type ResolvedCustomer,
} from '../../core/ports';
import { LuaScript, type RedisClient } from './client';
import type { RedisKeys } from './keys';
import { deleteKeys } from './scan';

// KEYS: address. ARGV: customer id to use on first sight, retentionMs. Returns the address's customer.
const CLAIM_ADDRESS = new LuaScript(`
local owner = redis.call('GET', KEYS[1])
if not owner then owner = ARGV[1] end
redis.call('SET', KEYS[1], owner, 'PX', ARGV[2])
return owner
`);

// KEYS: customer's conversation, customer's addresses, customer's conversation index. ARGV: conversation
// id to use on first sight, the address (set member), retentionMs. Returns the active conversation.
const CLAIM_CONVERSATION = new LuaScript(`
local conversation = redis.call('GET', KEYS[1])
if not conversation then conversation = ARGV[1] end
redis.call('SET', KEYS[1], conversation, 'PX', ARGV[3])
redis.call('SADD', KEYS[2], ARGV[2])
redis.call('PEXPIRE', KEYS[2], ARGV[3])
redis.call('SADD', KEYS[3], conversation)
redis.call('PEXPIRE', KEYS[3], ARGV[3])
return conversation
`);

// KEYS: customer's conversation, customer's conversation index. ARGV: conversation id, retentionMs.
// 0: no customer.
const BEGIN_CONVERSATION = new LuaScript(`
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
redis.call('SADD', KEYS[2], ARGV[1])
redis.call('PEXPIRE', KEYS[2], ARGV[2])
return 1
`);

// KEYS: customer's conversation, customer's addresses. ARGV: address member, retentionMs. 0: no customer.
const ADD_ADDRESS = new LuaScript(`
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
redis.call('SADD', KEYS[2], ARGV[1])
redis.call('PEXPIRE', KEYS[1], ARGV[2])
redis.call('PEXPIRE', KEYS[2], ARGV[2])
return 1
`);

// KEYS: address. ARGV: customer id, retentionMs. Returns the previous owner (or false).
const SWAP_OWNER = new LuaScript(`
local previous = redis.call('GET', KEYS[1])
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
return previous
`);

/** An address as a member of its customer's address set (and of the turn script's claim). */
export const addressMember = (address: ChannelAddress): string =>
  JSON.stringify([address.channel, address.userId]);
const member = addressMember;

function parseMember(value: string): ChannelAddress | undefined {
  const parsed: unknown = JSON.parse(value);
  if (!Array.isArray(parsed) || typeof parsed[0] !== 'string' || typeof parsed[1] !== 'string')
    return undefined;
  return { channel: parsed[0], userId: parsed[1] };
}

/**
 * Identities on Redis, Cluster-ready: each step touches one slot (the address's, then the customer's), and
 * each step is a get-or-create script, so concurrent first messages converge on one customer and one
 * conversation. The address key is the truth; a customer's address set may briefly keep an address that
 * was just linked away, so `addresses` re-checks each one and prunes the strays.
 */
export class RedisIdentityStore implements IdentityStore {
  constructor(
    private readonly client: RedisClient,
    private readonly keys: RedisKeys,
    private readonly retentionMs: number,
  ) {}

  async resolve(address: ChannelAddress, hint: ResolvedCustomer): Promise<ResolvedCustomer> {
    const addressKey = this.keys.address(address.channel, address.userId);
    const customerId = String(
      await CLAIM_ADDRESS.run(this.client, [addressKey], [hint.customerId, this.retentionMs]),
    );
    const customer = this.keys.customer(customerId);
    const conversationId = String(
      await CLAIM_CONVERSATION.run(
        this.client,
        [customer.conversation, customer.addresses, customer.conversations],
        [hint.conversationId, member(address), this.retentionMs],
      ),
    );
    return { customerId, conversationId };
  }

  async link(address: ChannelAddress, customerId: string): Promise<void> {
    const customer = this.keys.customer(customerId);
    const added = Number(
      await ADD_ADDRESS.run(
        this.client,
        [customer.conversation, customer.addresses],
        [member(address), this.retentionMs],
      ),
    );
    if (added === 0) throw new CustomerNotFoundError(customerId);
    const addressKey = this.keys.address(address.channel, address.userId);
    const previous = await SWAP_OWNER.run(this.client, [addressKey], [customerId, this.retentionMs]);
    if (typeof previous === 'string' && previous !== customerId) {
      await this.client.srem(this.keys.customer(previous).addresses, member(address));
    }
  }

  async unlink(address: ChannelAddress): Promise<void> {
    const addressKey = this.keys.address(address.channel, address.userId);
    const previous = await this.client.getdel(addressKey);
    if (previous !== null) await this.client.srem(this.keys.customer(previous).addresses, member(address));
  }

  async addresses(customerId: string): Promise<ChannelAddress[]> {
    const setKey = this.keys.customer(customerId).addresses;
    const members = await this.client.smembers(setKey);
    const found: ChannelAddress[] = [];
    for (const value of members.sort()) {
      const address = parseMember(value);
      const owner = address && (await this.client.get(this.keys.address(address.channel, address.userId)));
      if (address && owner === customerId) found.push(address);
      else await this.client.srem(setKey, value);
    }
    return found;
  }

  async scope(customerId: string): Promise<CustomerScope> {
    const keys = this.keys.customer(customerId);
    const [indexed, active] = await Promise.all([
      this.client.smembers(keys.conversations),
      this.client.get(keys.conversation),
    ]);
    const conversationIds = new Set(indexed);
    if (active !== null) conversationIds.add(active);
    return {
      customerId,
      conversationIds: [...conversationIds].sort(),
      addresses: await this.addresses(customerId),
    };
  }

  async beginConversation(customerId: string, conversationId: string): Promise<void> {
    const keys = this.keys.customer(customerId);
    const begun = Number(
      await BEGIN_CONVERSATION.run(
        this.client,
        [keys.conversation, keys.conversations],
        [conversationId, this.retentionMs],
      ),
    );
    if (begun === 0) throw new CustomerNotFoundError(customerId);
  }

  async eraseCustomer(customerId: string): Promise<number> {
    const keys = this.keys.customer(customerId);
    const owned: string[] = [];
    for (const value of await this.client.smembers(keys.addresses)) {
      const address = parseMember(value);
      const key = address && this.keys.address(address.channel, address.userId);
      if (key && (await this.client.get(key)) === customerId) owned.push(key);
    }
    return deleteKeys(this.client, [...owned, keys.conversation, keys.addresses, keys.conversations]);
  }
}
