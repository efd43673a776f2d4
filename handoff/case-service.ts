import type { Agent, Case, CaseStatus } from '../core/case';
import type { Reply } from '../core/message';
import type { MessageCatalogue } from '../core/messages';
import { CaseNotFoundError, type Clock, type Logger, type Stores } from '../core/ports';
import type { TranscriptEntry } from '../core/transcript';
import { publishCase, publishLines, summarizeCase, type CaseSummary } from './case-events';
import type { Delivery, Line } from './delivery';
import { frameworkMessages } from '../locales/load';
import { readWholeTranscript } from './open-case';
import type { AnalyticsRecorder } from '../analytics/recorder';
import type { AnalyticsEvent } from '../core/analytics';

export { CaseNotFoundError };

/** Refused because of who owns the case or what state it is in (HTTP 409). */
export class CaseConflictError extends Error {
  constructor(
    readonly caseId: string,
    message: string,
  ) {
    super(message);
    this.name = 'CaseConflictError';
  }
}

export interface CaseServiceDeps {
  stores: Pick<Stores, 'cases' | 'transcripts' | 'bus'>;
  delivery: Delivery;
  clock: Clock;
  logger: Logger;
  /** Shown to customers: "You're now chatting with Sam from Acme." */
  companyName?: string;
  /** The sentences customers get, per locale (the framework's catalogue when absent). */
  messages?: MessageCatalogue;
  /** Where agents' actions are counted (claims, replies, resolutions); not counted without one. */
  analytics?: AnalyticsRecorder;
}

type CaseEventFields<T> = T extends AnalyticsEvent
  ? Omit<T, 'at' | 'conversationId' | 'customerId' | 'channel' | 'caseId' | 'queue'>
  : never;

/** A case with everything an agent reads: the package and the conversation as it stands now. */
export interface CaseDetail {
  case: Case;
  /** The whole transcript: the package's lines, then everything said since the handoff. */
  transcript: TranscriptEntry[];
}

/** What agents do to cases. Every change is atomic on the case, recorded in the transcript, and published. */
export interface CaseService {
  list(filter?: { status?: CaseStatus }): Promise<CaseSummary[]>;
  get(id: string): Promise<CaseDetail>;
  /** Takes a queued case; claiming one's own case again is a no-op. Another agent's case → conflict. */
  claim(id: string, agent: Agent): Promise<Case>;
  /** Sends the owner's message to the customer on their current channel. */
  message(id: string, agent: Agent, text: string): Promise<TranscriptEntry[]>;
  /** Adds an internal note (agents only; the customer never sees it). Any agent may note an open case. */
  note(id: string, agent: Agent, text: string): Promise<TranscriptEntry[]>;
  /**
   * Ends the owner's case: `handBack` gives the conversation back to the bot (which asks whether the
   * customer is satisfied) and marks it resolved; otherwise it is closed with a goodbye.
   */
  resolve(id: string, agent: Agent, options: { handBack: boolean }): Promise<Case>;
  /**
   * Gives an open case to `to` (a supervisor's assignment, or a transfer to an agent): they own it and the
   * customer is told who they are chatting with. `note` becomes an internal note.
   */
  assign(id: string, by: Agent, to: Agent, note?: string): Promise<Case>;
  /** Puts an open case back in a queue (this one or another), unowned, with an optional internal note. */
  transfer(id: string, by: Agent, queue: { id: string; label: string }, note?: string): Promise<Case>;
}

const OPEN: readonly CaseStatus[] = ['queued', 'assigned'];

export function createCaseService(deps: CaseServiceDeps): CaseService {
  const { stores, delivery, clock } = deps;
  const messages = deps.messages ?? frameworkMessages();
  const company = deps.companyName;
  const greeting =
    (agent: Agent) =>
    (locale: string): Reply => ({
      from: 'system',
      text: company
        ? messages.text(locale, 'handoff.connectedFrom', { agent: agent.name, company })
        : messages.text(locale, 'handoff.connected', { agent: agent.name }),
    });
  const closedReply =
    (agent: Agent) =>
    (locale: string): Reply => ({
      from: 'system',
      text: messages.text(locale, 'handoff.closed', { agent: agent.name }),
    });

  async function load(id: string): Promise<Case> {
    const item = await stores.cases.get(id);
    if (!item) throw new CaseNotFoundError(id);
    return item;
  }

  function requireOwner(item: Case, agent: Agent, action: string): void {
    if (item.status !== 'assigned') {
      throw new CaseConflictError(item.id, `case is ${item.status}: claim it before you ${action}`);
    }
    if (item.owner !== agent.username) {
      throw new CaseConflictError(item.id, `case is owned by another agent`);
    }
  }

  /** Counts an agent's action on `item` (analytics never fail the action; see the recorder). */
  async function count(item: Case, fields: CaseEventFields<AnalyticsEvent>): Promise<void> {
    if (!deps.analytics) return;
    const channel = item.package.transcript.at(-1)?.channel ?? item.channels[0] ?? 'unknown';
    const about = { conversationId: item.conversationId, customerId: item.customerId, channel };
    await deps.analytics.emit({
      at: clock.now(),
      ...about,
      caseId: item.id,
      queue: item.queue,
      ...fields,
    } as AnalyticsEvent);
  }

  /** Lines reach desks after they are in the transcript; a failed notice is logged, not fatal. */
  async function announce(item: Case, entries: TranscriptEntry[], statusChanged: boolean): Promise<void> {
    try {
      await publishLines(stores.bus, item.id, entries);
      if (statusChanged) await publishCase(stores.bus, item);
    } catch (error) {
      deps.logger.warn({ err: error, caseId: item.id }, 'publishing a case change failed');
    }
  }

  async function claim(id: string, agent: Agent): Promise<Case> {
    let changed = false;
    const item = await stores.cases.update(id, (current) => {
      if (current.status === 'assigned' && current.owner === agent.username) return current;
      if (current.status !== 'queued') {
        const why = current.status === 'assigned' ? 'already claimed by another agent' : current.status;
        throw new CaseConflictError(id, `case is ${why}`);
      }
      changed = true;
      const now = clock.now();
      return { ...current, status: 'assigned', owner: agent.username, claimedAt: now, updatedAt: now };
    });
    if (!changed) return item;
    const claimed: Line = {
      speaker: 'system',
      event: 'case.claimed',
      agent: agent.name,
      data: { caseId: id, agent: agent.username },
    };
    const entries = await delivery.deliver(item.conversationId, greeting(agent), [claimed]);
    await announce(item, entries, true);
    await count(item, {
      type: 'case.claimed',
      agent: agent.username,
      waitMs: Math.max(0, item.updatedAt - item.createdAt),
    });
    return item;
  }

  async function resolve(id: string, agent: Agent, options: { handBack: boolean }): Promise<Case> {
    const status: CaseStatus = options.handBack ? 'resolved' : 'closed';
    const item = await stores.cases.update(id, (current) => {
      requireOwner(current, agent, 'resolve it');
      return { ...current, status, updatedAt: clock.now() };
    });
    const line: Line = {
      speaker: 'system',
      event: `case.${status}`,
      agent: agent.name,
      data: { caseId: id, agent: agent.username },
    };
    const entries = options.handBack
      ? await delivery.handBack(item.conversationId, { caseId: id, agentName: agent.name, lines: [line] })
      : await delivery.release(item.conversationId, id, closedReply(agent), [line]);
    await announce(item, entries, true);
    await count(item, {
      type: `case.${status === 'resolved' ? 'resolved' : 'closed'}`,
      agent: agent.username,
    });
    return item;
  }

  const noteLine = (by: Agent, text: string | undefined): Line[] =>
    text ? [{ speaker: 'agent', event: 'case.note', text, agent: by.name }] : [];

  function requireOpen(current: Case): void {
    if (!OPEN.includes(current.status)) throw new CaseConflictError(current.id, `case is ${current.status}`);
  }

  async function assign(id: string, by: Agent, to: Agent, note?: string): Promise<Case> {
    let fromQueue = false;
    let before: Case | undefined;
    const item = await stores.cases.update(id, (current) => {
      requireOpen(current);
      before = current;
      fromQueue = current.status === 'queued';
      if (current.status === 'assigned' && current.owner === to.username) {
        throw new CaseConflictError(id, `case is already ${to.name}'s`);
      }
      const now = clock.now();
      return {
        ...current,
        status: 'assigned',
        owner: to.username,
        claimedAt: current.claimedAt ?? now,
        updatedAt: now,
      };
    });
    const line: Line = {
      speaker: 'system',
      event: 'case.assigned',
      agent: by.name,
      data: { caseId: id, agent: by.username, to: to.username, toName: to.name },
    };
    const entries = await delivery.deliver(item.conversationId, greeting(to), [line, ...noteLine(by, note)]);
    await announce(item, entries, true);
    // Taken from the queue by assignment: the queue wait ends here, as with a claim.
    if (fromQueue) {
      const waitMs = Math.max(0, (item.claimedAt ?? item.updatedAt) - (item.queuedAt ?? item.createdAt));
      await count(item, { type: 'case.claimed', agent: to.username, waitMs });
    } else if (before) {
      // From one agent to another: a transfer, counted against the queue it was in.
      const moved = {
        type: 'case.transferred',
        agent: by.username,
        to: { kind: 'agent', id: to.username },
      } as const;
      await count(before, moved);
    }
    return item;
  }

  async function transfer(id: string, by: Agent, queue: { id: string; label: string }, note?: string) {
    let before: Case | undefined;
    const item = await stores.cases.update(id, (current) => {
      requireOpen(current);
      before = current;
      const { owner: _owner, claimedAt: _claimed, ...rest } = current;
      const now = clock.now();
      return { ...rest, status: 'queued', queue: queue.id, queuedAt: now, updatedAt: now };
    });
    const line: Line = {
      speaker: 'system',
      event: 'case.transferred',
      agent: by.name,
      data: { caseId: id, agent: by.username, to: queue.id, toName: queue.label },
    };
    const entries = await delivery.record(item.conversationId, [line, ...noteLine(by, note)]);
    await announce(item, entries, true);
    if (before)
      await count(before, {
        type: 'case.transferred',
        agent: by.username,
        to: { kind: 'queue', id: queue.id },
      });
    return item;
  }

  return {
    assign,
    transfer,
    async list(filter = {}) {
      return (await stores.cases.list(filter)).map(summarizeCase);
    },

    async get(id) {
      const item = await load(id);
      const now = await readWholeTranscript(stores.transcripts, item.conversationId);
      // The package is the record at handoff; the live transcript may lag it by a turn still recording.
      const handoff = item.package.transcript;
      return { case: item, transcript: [...handoff, ...now.slice(handoff.length)] };
    },

    claim,

    async message(id, agent, text) {
      const item = await load(id);
      requireOwner(item, agent, 'reply');
      const reply: Reply = { from: 'agent', text, agentName: agent.name };
      const entries = await delivery.deliver(item.conversationId, reply);
      await announce(item, entries, false);
      await count(item, { type: 'agent.replied', agent: agent.username });
      return entries;
    },

    async note(id, agent, text) {
      const item = await load(id);
      if (!OPEN.includes(item.status)) throw new CaseConflictError(id, `case is ${item.status}`);
      const line: Line = { speaker: 'agent', event: 'case.note', text, agent: agent.name };
      const entries = await delivery.record(item.conversationId, [line]);
      await announce(item, entries, false);
      return entries;
    },

    resolve,
  };
}
