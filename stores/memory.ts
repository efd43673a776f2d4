import { systemClock } from '../core/defaults';
import { createMemoryDeviceStores } from './memory-devices';
import type { Case, CaseStatus } from '../core/case';
import { copyAsJson, isSealedJson, type JsonValue } from '../core/json';
import type { Reply } from '../core/message';
import {
  CaseNotFoundError,
  type CaseStore,
  type Clock,
  type ConversationState,
  type CustomerScope,
  type KeyValueEntry,
  type ProcessedMessage,
  type ConversationStore,
  type Logger,
  type MessageBus,
  type KeyValueStore,
  type ProcessedMessages,
  type Stores,
  type TurnCommit,
  type TurnCommitter,
} from '../core/ports';
import { caseInScope, keyMentions, tombstoneOf } from '../core/privacy';
import { MemoryTranscriptStore } from '../transcripts/memory.transcript-store';
import { sortCases } from './case-order';
import { ExpiringMap } from './expiring-map';
import {
  DEFAULT_MAX_CONVERSATIONS,
  DEFAULT_SWEEP_EVERY_MS,
  MemoryHousekeeper,
  timerScheduler,
  type Scheduler,
} from './memory-housekeeping';
import { LocalTurnQueue } from './local-turn-queue';
import { MemoryIdentityStore } from './memory-identities';
import { MemoryAuditTrail, MemoryConsentLedger } from './memory-privacy';
import { MemoryAttemptCounter, MemoryRevokedTokens } from './memory-sign-in';
import { silentLogger } from './silent-logger';
import { AUDIT_RETENTION_MS, CONSENT_RETENTION_MS, dedupeRetention } from './retention-defaults';
import type { DataClass, RetentionPolicy } from '../core/retention';

export interface MemoryStoresOptions {
  /** How long anything stays after its last write. */
  retentionMs: number;
  clock?: Clock;
  /** Receives errors thrown by bus subscribers. */
  logger?: Logger;
  /** How long a message with a `sequence` waits for its predecessor before it goes ahead. Default 2 s. */
  sequenceWaitMs?: number;
  /** How long consent records stay after a customer's last answer. Default: 3 years. */
  consentRetentionMs?: number;
  /** How long audit entries stay. Default: 1 year. */
  auditRetentionMs?: number;
  /** Periods of their own for some classes of data; the others follow `retentionMs`. */
  retention?: Partial<RetentionPolicy>;
  /** How long a message's dedupe record stays (as long as a channel may retry). Default 24 h. */
  dedupeRetentionMs?: number;
  /** Past this many conversations the least recently active idle ones are evicted. Default 50,000. */
  maxConversations?: number;
  /** How often expired entries are dropped, written to or not. Default 1 minute. */
  sweepEveryMs?: number;
  /** Runs the sweep; tests inject their own. Default: unref'd timers. */
  scheduler?: Scheduler;
}

// Values are copied in their JSON form on the way in and out: callers cannot mutate the record, and
// anything Redis could not store fails here too.
const copy = copyAsJson;

/**
 * A conversation's state, copied as above except its dialog snapshot when the engine sealed it
 * (`core/json.ts`): frozen, so sharing it is as safe as a copy, and the biggest part of the state.
 */
function copyState(state: ConversationState): ConversationState {
  const { dialog, ...rest } = state;
  const copied = copy(rest) as ConversationState;
  if (dialog !== undefined) copied.dialog = isSealedJson(dialog) ? dialog : copy(dialog);
  return copied;
}

class MemoryConversationStore implements ConversationStore {
  constructor(
    private readonly states: ExpiringMap<ConversationState>,
    private readonly afterWrite: () => void,
  ) {}

  async get(conversationId: string): Promise<ConversationState | undefined> {
    const state = this.states.get(conversationId);
    return state && copyState(state);
  }

  async put(state: ConversationState): Promise<void> {
    this.states.set(state.conversationId, copyState(state));
    this.afterWrite();
  }

  async delete(conversationId: string): Promise<void> {
    this.states.delete(conversationId);
  }

  async listByCustomer(scope: CustomerScope): Promise<ConversationState[]> {
    return scope.conversationIds.flatMap((id) => {
      const state = this.states.get(id);
      return state ? [copyState(state)] : [];
    });
  }

  async eraseByCustomer(scope: CustomerScope): Promise<number> {
    const held = scope.conversationIds.filter((id) => this.states.has(id));
    for (const id of held) this.states.delete(id);
    return held.length;
  }
}

class MemoryProcessedMessages implements ProcessedMessages {
  constructor(private readonly replies: ExpiringMap<Reply[]>) {}

  async get(conversationId: string, messageId: string): Promise<Reply[] | undefined> {
    const replies = this.replies.get(processedKey(conversationId, messageId));
    return replies && copy(replies);
  }

  async put(conversationId: string, messageId: string, replies: Reply[]): Promise<void> {
    this.replies.set(processedKey(conversationId, messageId), copy(replies));
  }

  async listByCustomer(scope: CustomerScope): Promise<ProcessedMessage[]> {
    const found: ProcessedMessage[] = [];
    for (const key of this.inScope(scope, this.replies.keys())) {
      const [conversationId = '', messageId = ''] = key.split('\u0000');
      const replies = this.replies.get(key);
      if (replies) found.push({ conversationId, messageId, replies: copy(replies) });
    }
    return found;
  }

  async eraseByCustomer(scope: CustomerScope): Promise<number> {
    const keys = this.inScope(scope, this.replies.allKeys());
    for (const key of keys) this.replies.delete(key);
    return keys.length;
  }

  /** Forgets every record of these conversations (evicted by the cap). */
  evict(conversationIds: ReadonlySet<string>): void {
    for (const key of this.replies.keysByAge()) {
      if (conversationIds.has(key.split('\u0000')[0] ?? '')) this.replies.delete(key);
    }
  }

  private inScope(scope: CustomerScope, keys: string[]): string[] {
    const conversations = new Set(scope.conversationIds);
    return keys.filter((key) => conversations.has(key.split('\u0000')[0] ?? ''));
  }
}

// NUL cannot appear in channel ids, so the pair cannot collide with another pair.
function processedKey(conversationId: string, messageId: string): string {
  return `${conversationId}\u0000${messageId}`;
}

/** A turn's writes in one synchronous step: nothing can run between them, and a crash loses all or none. */
class MemoryTurnCommitter implements TurnCommitter {
  constructor(
    private readonly states: ExpiringMap<ConversationState>,
    private readonly replies: ExpiringMap<Reply[]>,
    private readonly transcripts: MemoryTranscriptStore,
    private readonly afterWrite: () => void,
  ) {}

  async commit(turn: TurnCommit): Promise<void> {
    // Copy first: a value JSON cannot carry fails here, before anything is written.
    const state = turn.state && copyState(turn.state);
    const processed = turn.processed && copy(turn.processed);
    const entries = copy(turn.entries);
    if (state) this.states.set(turn.conversationId, state);
    // Already a private copy: handed over, not copied again.
    this.transcripts.appendOwned(turn.conversationId, entries);
    if (processed)
      this.replies.set(processedKey(turn.conversationId, processed.messageId), processed.replies);
    if (state) this.afterWrite();
  }
}

class MemoryCaseStore implements CaseStore {
  constructor(
    private readonly cases: ExpiringMap<Case>,
    private readonly clock: Clock,
  ) {}

  async create(item: Case): Promise<void> {
    if (this.cases.get(item.id)) throw new Error(`case ${item.id} already exists`);
    this.cases.set(item.id, copy(item));
  }

  async get(id: string): Promise<Case | undefined> {
    const item = this.cases.get(id);
    return item && copy(item);
  }

  async list(filter: { status?: CaseStatus } = {}): Promise<Case[]> {
    const matching = this.cases.values().filter((c) => !filter.status || c.status === filter.status);
    return sortCases(matching).map(copy);
  }

  // Single-threaded: nothing can interleave between reading and writing, so this is atomic as it stands.
  async update(id: string, change: (current: Case) => Case): Promise<Case> {
    const current = this.cases.get(id);
    if (!current) throw new CaseNotFoundError(id);
    const next = copy(change(copy(current)));
    this.cases.set(id, next);
    return copy(next);
  }

  async listByCustomer(scope: CustomerScope): Promise<Case[]> {
    return sortCases(this.cases.values().filter((c) => !c.erasedAt && caseInScope(c, scope))).map(copy);
  }

  async eraseByCustomer(scope: CustomerScope): Promise<number> {
    const now = this.clock.now();
    const matching = this.cases.values().filter((c) => !c.erasedAt && caseInScope(c, scope));
    for (const item of matching) this.cases.set(item.id, tombstoneOf(item, now));
    return matching.length;
  }
}

class MemoryKeyValueStore implements KeyValueStore {
  constructor(private readonly values: ExpiringMap<JsonValue>) {}

  async get(key: string): Promise<JsonValue | undefined> {
    const value = this.values.get(key);
    return value === undefined ? undefined : copy(value);
  }

  async set(key: string, value: JsonValue): Promise<void> {
    this.values.set(key, copy(value));
  }

  async delete(key: string): Promise<void> {
    this.values.delete(key);
  }

  async listByCustomer(scope: CustomerScope): Promise<KeyValueEntry[]> {
    return this.values.keys().flatMap((key) => {
      const value = this.values.get(key);
      return keyMentions(key, scope) && value !== undefined ? [{ key, value: copy(value) }] : [];
    });
  }

  async eraseByCustomer(scope: CustomerScope): Promise<number> {
    const keys = this.values.allKeys().filter((key) => keyMentions(key, scope));
    for (const key of keys) this.values.delete(key);
    return keys.length;
  }
}

type Handler = (payload: JsonValue) => void;

class MemoryMessageBus implements MessageBus {
  private readonly topics = new Map<string, Set<Handler>>();

  constructor(private readonly logger: Logger) {}

  async publish(topic: string, payload: JsonValue): Promise<void> {
    const handlers = [...(this.topics.get(topic) ?? [])];
    for (const handler of handlers) {
      try {
        handler(copy(payload));
      } catch (error) {
        this.logger.error({ err: error, topic }, 'message bus subscriber failed');
      }
    }
  }

  async subscribe(topic: string, handler: Handler): Promise<() => Promise<void>> {
    // A fresh wrapper per subscription, so subscribing the same function twice needs two unsubscribes.
    const entry: Handler = (payload) => handler(payload);
    const handlers = this.topics.get(topic) ?? new Set<Handler>();
    handlers.add(entry);
    this.topics.set(topic, handlers);
    return async () => {
      handlers.delete(entry);
      if (handlers.size === 0 && this.topics.get(topic) === handlers) this.topics.delete(topic);
    };
  }

  clear(): void {
    this.topics.clear();
  }
}

/**
 * The default stores: everything in this process's memory, nothing survives a restart. Entries expire
 * `retentionMs` after their last write, measured on `clock`.
 *
 * @example
 * const stores = createMemoryStores({ retentionMs: 30 * 24 * 3600_000 });
 * await stores.turns.run(message.conversationId, () => handleTurn(message));
 */
export function createMemoryStores(options: MemoryStoresOptions): Stores {
  const clock = options.clock ?? systemClock;
  const { retentionMs } = options;
  if (!(retentionMs > 0)) throw new RangeError(`retentionMs must be positive, got ${retentionMs}`);
  const period = (name: DataClass) => options.retention?.[name] ?? retentionMs;
  const states = new ExpiringMap<ConversationState>(period('state'), clock);
  const replies = new ExpiringMap<Reply[]>(
    options.retention?.dedupe ?? dedupeRetention(retentionMs, options.dedupeRetentionMs),
    clock,
  );
  const cases = new ExpiringMap<Case>(period('cases'), clock);
  const values = new ExpiringMap<JsonValue>(period('connectorValues'), clock);
  const transcripts = new MemoryTranscriptStore(period('transcripts'), clock);
  const bus = new MemoryMessageBus(options.logger ?? silentLogger);
  const identities = new MemoryIdentityStore(period('identities'), clock);
  const attempts = new MemoryAttemptCounter(clock);
  const revokedTokens = new MemoryRevokedTokens(clock);
  const consent = new MemoryConsentLedger(
    options.retention?.consent ?? options.consentRetentionMs ?? CONSENT_RETENTION_MS,
    clock,
  );
  const audit = new MemoryAuditTrail(
    options.retention?.audit ?? options.auditRetentionMs ?? AUDIT_RETENTION_MS,
    clock,
  );
  const devices = createMemoryDeviceStores(clock);
  const turns = new LocalTurnQueue({
    clock,
    ...(options.sequenceWaitMs !== undefined ? { sequenceWaitMs: options.sequenceWaitMs } : {}),
  });
  const processed = new MemoryProcessedMessages(replies);
  const housekeeper = new MemoryHousekeeper(
    {
      states,
      sweepables: [states, replies, cases, values, transcripts, identities],
      busy: (id) => turns.isActive(id),
      evict: (ids) => {
        for (const id of ids) {
          states.delete(id);
          transcripts.drop(id);
        }
        processed.evict(ids);
      },
    },
    {
      maxConversations: options.maxConversations ?? DEFAULT_MAX_CONVERSATIONS,
      sweepEveryMs: options.sweepEveryMs ?? DEFAULT_SWEEP_EVERY_MS,
      scheduler: options.scheduler ?? timerScheduler,
    },
  );
  const afterWrite = () => housekeeper.afterWrite();
  return {
    conversations: new MemoryConversationStore(states, afterWrite),
    identities,
    turns,
    processed,
    transcripts,
    commits: new MemoryTurnCommitter(states, replies, transcripts, afterWrite),
    cases: new MemoryCaseStore(cases, clock),
    bus,
    keyValue: new MemoryKeyValueStore(values),
    attempts,
    revokedTokens,
    consent,
    audit,
    devices,
    async ping() {},
    async close() {
      housekeeper.stop();
      states.clear();
      identities.clear();
      values.clear();
      replies.clear();
      cases.clear();
      transcripts.clear();
      bus.clear();
      attempts.clearAll();
      revokedTokens.clearAll();
      consent.clear();
      audit.clear();
      devices.clear();
    },
  };
}
