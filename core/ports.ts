import type { Case, CaseStatus } from './case';
import type { JsonObject, JsonValue } from './json';
import type { ChannelName, Reply } from './message';
import type { AuditTrail, ConsentLedger } from './privacy';
import type { TranscriptEntry } from './transcript';
import type { DeviceStores } from './device-stores';

/**
 * What Parley keeps per conversation between turns. Small on purpose: only what the next turn needs.
 */
export interface ConversationState {
  conversationId: string;
  customerId: string;
  /** The dialog engine's persisted snapshot (opaque JSON). */
  dialog?: JsonValue;
  /** Set while a case is open: the customer's messages go to the case, not to the bot. */
  caseId?: string;
  locale?: string;
  /** The channel and channel identity of the customer's latest message: where agents' replies go. */
  channel?: ChannelName;
  channelUserId?: string;
  /**
   * Replies sent from outside a turn (an agent, a hand-back) to a channel that cannot take a push (REST):
   * they go out first with the customer's next request.
   */
  pending?: Reply[];
  /**
   * The connector's own conversation id for the customer's latest message: the session a live socket
   * listens on for pushed replies. Equal to `conversationId` until the customer writes from a linked address.
   */
  session?: string;
  /** Set once the customer has been told that card details are never taken in chat. */
  cardNoticeGiven?: boolean;
  updatedAt: number;
}

/** Conversation state by id. Every write carries the retention TTL. */
export interface ConversationStore extends CustomerData<ConversationState> {
  get(conversationId: string): Promise<ConversationState | undefined>;
  put(state: ConversationState): Promise<void>;
  delete(conversationId: string): Promise<void>;
}

/**
 * Everything that ties stored data to one customer: their id, every conversation they have had and every
 * address they write from. The identity store is its source (`IdentityStore.scope`); stores keyed by
 * conversation use the conversation ids, stores keyed by customer use the id.
 */
export interface CustomerScope {
  customerId: string;
  conversationIds: readonly string[];
  addresses: readonly ChannelAddress[];
}

/**
 * A store's part in subject access (GDPR Art. 15) and erasure (Art. 17): what it holds about the
 * customer in `scope`, and removing it. Both reach every record the store keeps for the scope, expired
 * or not yet swept ones included in erasure.
 */
export interface CustomerData<T> {
  listByCustomer(scope: CustomerScope): Promise<T[]>;
  /** Removes every record about the customer; resolves how many records (keys, rows, entries) went. */
  eraseByCustomer(scope: CustomerScope): Promise<number>;
}

/** How a turn joins its conversation's queue. */
export interface TurnOrder {
  /**
   * The client's own number for the message (REST `metadata.sequence`): the turn joins the queue only
   * after the turn numbered one less has joined it, or once `maxWaitMs` has passed without it.
   */
  sequence?: number;
  /** The turn's dedupe record id: a store may read it together with the turn's lock. */
  dedupeId?: string;
}

/**
 * Serialises the turns of one conversation: `run` calls for the same id execute one at a time, in the
 * order they were called, across every process that shares the store. The place in the queue is taken
 * synchronously by the call (memory) or by the first store command it sends (Redis).
 */
export interface TurnQueue {
  run<T>(conversationId: string, work: () => Promise<T>, order?: TurnOrder): Promise<T>;
  /**
   * Optional: resolves the address's customer (as `IdentityStore.resolve`) and runs their turn as `run`
   * does, so a store can do both, and the turn's first reads, in one round trip.
   */
  runFor?<T>(
    address: ChannelAddress,
    hint: ResolvedCustomer,
    work: (who: ResolvedCustomer) => Promise<T>,
    order?: TurnOrder,
  ): Promise<T>;
}

/** Everything one turn writes. */
export interface TurnCommit {
  conversationId: string;
  /** The conversation after the turn (held replies in `pending` included); absent when a turn failed. */
  state?: ConversationState;
  /** Transcript lines, in order. */
  entries: TranscriptEntry[];
  /** The customer's message the turn answered: its retries are answered with `replies` from now on. */
  processed?: { messageId: string; replies: Reply[] };
}

/** Thrown by `TurnCommitter.commit` when the turn's lock passed to another turn: nothing was written. */
export class TurnLockLostError extends Error {
  constructor(readonly conversationId: string) {
    super(`turn lock of ${conversationId} lost before commit; nothing written`);
    this.name = 'TurnLockLostError';
  }
}

/**
 * Writes a turn in one atomic step: state, transcript lines, dedupe record and the release of the
 * conversation's turn lock all land, or none does. Called inside `TurnQueue.run` by the pipeline's final
 * step, so a process killed at any point leaves either the whole turn or nothing, and a retry of the same
 * message is then answered from the record or processed once. On Redis, a turn whose lock lapsed (its
 * process stalled past the lease and another turn started) is refused with `TurnLockLostError`.
 */
export interface TurnCommitter {
  commit(turn: TurnCommit): Promise<void>;
}

/** Where a customer writes from: a channel and their id on it (a phone number, a web chat session). */
export interface ChannelAddress {
  channel: ChannelName;
  userId: string;
}

/** Who is writing and which conversation their message belongs to. */
export interface ResolvedCustomer {
  customerId: string;
  /** The customer's active conversation: its lock, dedupe record, state and transcript. */
  conversationId: string;
}

/** Thrown by `IdentityStore.link` when the customer to link to is unknown (never seen, or expired). */
export class CustomerNotFoundError extends Error {
  constructor(readonly customerId: string) {
    super(`customer ${customerId} not found`);
    this.name = 'CustomerNotFoundError';
  }
}

/**
 * Maps channel addresses to customers and a customer to their active conversation, so one customer on
 * two channels shares one conversation, case and transcript. Every write carries the retention TTL, and
 * `resolve` refreshes it.
 */
export interface IdentityStore {
  /**
   * The address's customer and that customer's active conversation, created from `hint` on first sight.
   * Atomic get-or-create: concurrent first messages from one address all get the same answer.
   */
  resolve(address: ChannelAddress, hint: ResolvedCustomer): Promise<ResolvedCustomer>;
  /**
   * Attaches `address` to an existing customer (after the customer proved both are theirs): its next
   * message continues that customer's conversation. Throws `CustomerNotFoundError` for an unknown customer.
   */
  link(address: ChannelAddress, customerId: string): Promise<void>;
  /** Detaches `address`: its next message starts a customer of its own. */
  unlink(address: ChannelAddress): Promise<void>;
  /** Every address attached to the customer (for the agent desk and the handoff package). */
  addresses(customerId: string): Promise<ChannelAddress[]>;
  /**
   * The customer's scope: their addresses and every conversation `resolve` ever gave them (kept in a
   * per-customer index with the same retention), for export and erasure.
   */
  scope(customerId: string): Promise<CustomerScope>;
  /**
   * Makes `conversationId` the customer's active conversation (a fresh one after the last ended) and adds
   * it to their index. Throws `CustomerNotFoundError` for an unknown customer.
   */
  beginConversation(customerId: string, conversationId: string): Promise<void>;
  /** Forgets the customer: their addresses, active conversation and conversation index. */
  eraseCustomer(customerId: string): Promise<number>;
}

/** Remembers the replies to messages already processed, so a channel's retry is answered from the record. */
export interface ProcessedMessage {
  conversationId: string;
  messageId: string;
  replies: Reply[];
}

export interface ProcessedMessages extends CustomerData<ProcessedMessage> {
  get(conversationId: string, messageId: string): Promise<Reply[] | undefined>;
  put(conversationId: string, messageId: string, replies: Reply[]): Promise<void>;
}

/** The write-only side of transcripts, on the hot path. Entries arrive already redacted. */
export interface TranscriptLog {
  append(conversationId: string, entries: TranscriptEntry[]): Promise<void>;
}

/** The paged reader for tools, handoff and export. */
export interface TranscriptReader {
  read(conversationId: string, page?: { offset?: number; limit?: number }): Promise<TranscriptEntry[]>;
  count(conversationId: string): Promise<number>;
}

/** A conversation's whole transcript, for export. */
export interface ConversationTranscript {
  conversationId: string;
  entries: TranscriptEntry[];
}

export type TranscriptStore = TranscriptLog & TranscriptReader & CustomerData<ConversationTranscript>;

/** Thrown by `CaseStore.update` when the case does not exist. */
export class CaseNotFoundError extends Error {
  constructor(readonly caseId: string) {
    super(`case ${caseId} not found`);
    this.name = 'CaseNotFoundError';
  }
}

/**
 * Cases and their queue. `update` is atomic: two agents can never both own a case. Erasure leaves a
 * tombstone per case (`tombstoneOf`): its id, queue, status and times, no personal data.
 */
export interface CaseStore extends CustomerData<Case> {
  create(item: Case): Promise<void>;
  get(id: string): Promise<Case | undefined>;
  list(filter?: { status?: CaseStatus }): Promise<Case[]>;
  /**
   * Applies `change` atomically. `change` may throw to refuse (e.g. already claimed); the error propagates
   * and nothing is written. Throws `CaseNotFoundError` for an unknown id.
   */
  update(id: string, change: (current: Case) => Case): Promise<Case>;
}

/**
 * Small JSON values by key, shared by every process on the same backend: what a connector remembers about a
 * conversation or a channel identity between turns (the options it last offered, an SMS opt-out). Every
 * write carries the retention TTL, like everything else Parley stores.
 */
export interface KeyValueStore extends CustomerData<KeyValueEntry> {
  get(key: string): Promise<JsonValue | undefined>;
  set(key: string, value: JsonValue): Promise<void>;
  delete(key: string): Promise<void>;
}

/**
 * One connector value. A value is about a customer when its key names one of the scope's ids (customer,
 * conversation or address user id) as a `:`-separated segment, as connectors' keys do
 * (`twilio:conversation:<id>`).
 */
export interface KeyValueEntry {
  key: string;
  value: JsonValue;
}

/** Fan-out of events between server processes (an agent on process A, the customer on process B). */
export interface MessageBus {
  publish(topic: string, payload: JsonValue): Promise<void>;
  /** Resolves once the subscription is active; the returned function unsubscribes. */
  subscribe(topic: string, handler: (payload: JsonValue) => void): Promise<() => Promise<void>>;
}

/**
 * Sends replies to a customer's address outside a turn (a REST callback, an SMS, a push notification) and
 * resolves how many of them, from the first, were delivered: the rest wait for the customer's next message.
 */
export type ProactiveSender = (target: OutboxTarget, replies: readonly Reply[]) => Promise<number>;

/** Where an out-of-turn reply goes: the conversation and where its customer can be reached now. */
export interface OutboxTarget {
  conversationId: string;
  address: ChannelAddress;
  /** The connector's conversation id for `address`, on which a live session listens. */
  session: string;
}

/**
 * The one way out for replies sent outside a customer's turn (an agent, a hand-back, a proactive notice):
 * to a live session on any process, a channel's proactive sender, or held for the next request.
 */
export interface Outbox {
  /** Delivers `replies` where the customer can be reached now; resolves those that must wait (held). */
  send(target: OutboxTarget, replies: Reply[]): Promise<Reply[]>;
  /** Sends one reply straight to a live session, on whichever process holds it. */
  push(session: string, reply: Reply): Promise<void>;
  /** Calls `handler` for every reply sent to `session`; resolves once listening, returns the stop. */
  listen(session: string, handler: (reply: Reply) => void): Promise<() => Promise<void>>;
  /** Plugs in a channel's proactive sender; returns the unplug. */
  register(channel: ChannelName, sender: ProactiveSender): () => void;
}

/** What `AttemptCounter.take` decided, with the state of the key's window after it. */
export interface AttemptVerdict {
  allowed: boolean;
  /** Attempts counted in the current window, this one included when allowed. */
  count: number;
  /** Milliseconds until the window ends and the count starts again from zero. */
  retryAfterMs: number;
}

/**
 * Attempt counters in windows that expire, shared by every process on the store (sign-in throttling).
 * A window starts with the first attempt on a key and lasts `windowMs`; every key expires with its window.
 */
export interface AttemptCounter {
  /**
   * Counts one attempt on `key` unless `limit` attempts were already counted in its window. Atomic across
   * processes: of many concurrent calls on one key, exactly `limit` are allowed.
   */
  take(key: string, limit: number, windowMs: number): Promise<AttemptVerdict>;
  /** Uncounts one attempt (one that turned out not to count, such as a success); never below zero. */
  giveBack(key: string): Promise<void>;
  /** Forgets the key's attempts. */
  clear(key: string): Promise<void>;
}

/** Ids of tokens revoked before they expire (signed out), seen by every process on the store. */
export interface RevokedTokens {
  /** Remembers `tokenId` as revoked for `ttlMs`: the token's remaining lifetime, after which it is invalid anyway. */
  revoke(tokenId: string, ttlMs: number): Promise<void>;
  isRevoked(tokenId: string): Promise<boolean>;
}

export * from './device-stores';

export interface Clock {
  now(): number;
}

export interface IdGenerator {
  next(): string;
}

/** A pino-compatible logger subset: structured fields first, message second. */
export interface Logger {
  debug(fields: object, message?: string): void;
  info(fields: object, message?: string): void;
  warn(fields: object, message?: string): void;
  error(fields: object, message?: string): void;
  child(bindings: object): Logger;
}

/** Everything a Parley runtime persists, bundled so memory and Redis can be swapped in one place. */
export interface Stores {
  conversations: ConversationStore;
  identities: IdentityStore;
  turns: TurnQueue;
  processed: ProcessedMessages;
  transcripts: TranscriptStore;
  /** The one write of a turn (see `TurnCommitter`). */
  commits: TurnCommitter;
  cases: CaseStore;
  bus: MessageBus;
  /** Connectors' own small state (see `KeyValueStore`). */
  keyValue: KeyValueStore;
  attempts: AttemptCounter;
  revokedTokens: RevokedTokens;
  /** Consent per purpose (see `ConsentLedger`). */
  consent: ConsentLedger;
  /** Who read, exported or erased personal data (see `AuditTrail`). */
  audit: AuditTrail;
  /** Connected devices: their registry, nonce and fault claims, and recent history. */
  devices: DeviceStores;
  /** Resolves when the backing store answers; rejects when it does not (for `/healthz`). */
  ping(): Promise<void>;
  /**
   * One probe per dependency behind these stores (`redis`, `bus`, `postgres`), each resolving when that
   * dependency answers, for `/healthz` and `/readyz`. Absent: `ping` stands for all of them.
   */
  probes?: Readonly<Record<string, () => Promise<void>>>;
  /** Releases connections and timers. */
  close(): Promise<void>;
}

/** A way the business can reach a customer outside the conversation, from its own records. */
export interface ContactPoint {
  kind: 'phone' | 'email';
  /** E.164 for phones (`+447700900123`), an address for e-mail. */
  value: string;
}

/**
 * The bot's view of its customer records, for verified channel linking: the phone numbers and e-mail
 * addresses it already holds for the customer the conversation has identified. `slots` is what the
 * conversation has collected (an account number and postcode the bot checks, say); resolves `undefined`
 * when the records do not match anyone, `[]` when they match someone with no contact points.
 */
export interface CustomerDirectory {
  contactPoints(customer: { customerId: string; slots: JsonObject }): Promise<ContactPoint[] | undefined>;
}

/** One plain-text e-mail. */
export interface MailMessage {
  to: string;
  subject: string;
  text: string;
}

/** Sends e-mail (one-time codes); `connectors/email/` implements it over SMTP. Rejects when not accepted. */
export interface Mailer {
  send(mail: MailMessage): Promise<void>;
}

export type { AnalyticsEvent, AnalyticsStore, TimeRange, UnansweredQuestion } from './analytics';
