import {
  CustomerNotFoundError,
  type ChannelAddress,
  type Clock,
  type CustomerScope,
  type IdentityStore,
  type ResolvedCustomer,
} from '../core/ports';
import { ExpiringMap } from './expiring-map';

interface CustomerRecord {
  conversationId: string;
  addresses: ChannelAddress[];
  /** Every conversation `resolve` gave the customer: the index export and erasure start from. */
  conversations?: string[];
}

// NUL cannot appear in channel names or ids, so two addresses cannot share a key.
const keyOf = (address: ChannelAddress): string => `${address.channel}\u0000${address.userId}`;
const same = (a: ChannelAddress, b: ChannelAddress): boolean => keyOf(a) === keyOf(b);

/**
 * Identities in this process's memory. Single-threaded, and no method awaits between reading and writing,
 * so every operation is atomic as it stands.
 */
export class MemoryIdentityStore implements IdentityStore {
  private readonly owners: ExpiringMap<string>;
  private readonly customers: ExpiringMap<CustomerRecord>;

  constructor(retentionMs: number, clock: Clock) {
    this.owners = new ExpiringMap<string>(retentionMs, clock);
    this.customers = new ExpiringMap<CustomerRecord>(retentionMs, clock);
  }

  async resolve(address: ChannelAddress, hint: ResolvedCustomer): Promise<ResolvedCustomer> {
    const customerId = this.owners.get(keyOf(address)) ?? hint.customerId;
    const record = this.customers.get(customerId) ?? { conversationId: hint.conversationId, addresses: [] };
    this.owners.set(keyOf(address), customerId);
    this.customers.set(customerId, withConversation(withAddress(record, address), record.conversationId));
    return { customerId, conversationId: record.conversationId };
  }

  async link(address: ChannelAddress, customerId: string): Promise<void> {
    const record = this.customers.get(customerId);
    if (!record) throw new CustomerNotFoundError(customerId);
    this.detach(address);
    this.owners.set(keyOf(address), customerId);
    this.customers.set(customerId, withAddress(record, address));
  }

  async unlink(address: ChannelAddress): Promise<void> {
    this.detach(address);
  }

  async addresses(customerId: string): Promise<ChannelAddress[]> {
    // An address may have expired on its own (unused for the retention period) while its customer lives on.
    const live = (this.customers.get(customerId)?.addresses ?? []).filter(
      (a) => this.owners.get(keyOf(a)) === customerId,
    );
    return live.map((a) => ({ ...a }));
  }

  async scope(customerId: string): Promise<CustomerScope> {
    const record = this.customers.get(customerId);
    const conversations = record ? (record.conversations ?? [record.conversationId]) : [];
    return { customerId, conversationIds: [...conversations], addresses: await this.addresses(customerId) };
  }

  async beginConversation(customerId: string, conversationId: string): Promise<void> {
    const record = this.customers.get(customerId);
    if (!record) throw new CustomerNotFoundError(customerId);
    this.customers.set(customerId, withConversation({ ...record, conversationId }, conversationId));
  }

  async eraseCustomer(customerId: string): Promise<number> {
    let erased = 0;
    for (const key of this.owners.allKeys()) {
      if (this.owners.get(key) !== customerId) continue;
      this.owners.delete(key);
      erased += 1;
    }
    if (this.customers.has(customerId)) erased += 1;
    this.customers.delete(customerId);
    return erased;
  }

  /** Drops expired addresses and customers (the memory stores' timer). */
  sweep(): void {
    this.owners.sweep();
    this.customers.sweep();
  }

  clear(): void {
    this.owners.clear();
    this.customers.clear();
  }

  private detach(address: ChannelAddress): void {
    const owner = this.owners.get(keyOf(address));
    this.owners.delete(keyOf(address));
    const record = owner === undefined ? undefined : this.customers.get(owner);
    if (owner === undefined || !record) return;
    this.customers.set(owner, { ...record, addresses: record.addresses.filter((a) => !same(a, address)) });
  }
}

function withAddress(record: CustomerRecord, address: ChannelAddress): CustomerRecord {
  if (record.addresses.some((a) => same(a, address))) return record;
  return {
    ...record,
    addresses: [...record.addresses, { channel: address.channel, userId: address.userId }],
  };
}

function withConversation(record: CustomerRecord, conversationId: string): CustomerRecord {
  const known = record.conversations ?? [];
  return known.includes(conversationId) ? record : { ...record, conversations: [...known, conversationId] };
}
