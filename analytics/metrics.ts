import type { AnalyticsEvent, TimeRange, TurnCompleted } from '../core/analytics';
import { ESCALATION_REASONS, type EscalationReason } from '../core/case';
import { caseTimelines, type CaseTimeline } from './cases';
import { DEFAULT_CONTACT_OPTIONS, findContacts, type Contact, type ContactOptions } from './contacts';

/** Durations of one kind: how many, their mean and percentiles (nearest rank), in milliseconds. */
export interface DurationStats {
  count: number;
  mean: number | null;
  p50: number | null;
  p90: number | null;
}

/** Every figure of the README's "Analytics" section, for one slice of the period. Rates are 0..1 or null. */
export interface Figures {
  conversations: number;
  /** Conversations in which no case was opened. */
  contained: number;
  containment: number | null;
  escalations: number;
  escalationRate: number | null;
  escalationReasons: Record<EscalationReason, number>;
  /** Customer turns the bot answered (not those that went to an agent). */
  botTurns: number;
  fallbacks: number;
  outOfScope: number;
  fallbackRate: number | null;
  contacts: number;
  repeatContacts24h: number;
  repeatContacts7d: number;
  repeatRate24h: number | null;
  repeatRate7d: number | null;
  repeatedInformation: number;
  /** Must be zero: the package gave the agent everything the bot had. */
  repeatedInformationAfterHandoff: number;
  csatAnswers: number;
  /** Mean satisfaction score after hand-backs (1 = satisfied). */
  csat: number | null;
  queueWait: DurationStats;
  firstResponse: DurationStats;
  handleTime: DurationStats;
  /** Cases no agent claimed within `abandonAfterMs` of opening. */
  abandoned: number;
  abandonmentRate: number | null;
  complaints: number;
  cancellations: number;
}

export interface MetricsOptions {
  contacts: ContactOptions;
  complaintIntents: readonly string[];
  cancellationIntents: readonly string[];
  /** A case not claimed this long after opening counts as abandoned. */
  abandonAfterMs: number;
}

export const DEFAULT_METRICS_OPTIONS: MetricsOptions = {
  contacts: DEFAULT_CONTACT_OPTIONS,
  complaintIntents: ['complaint'],
  cancellationIntents: ['cancel_service'],
  abandonAfterMs: 30 * 60_000,
};

export interface AnalyticsReport {
  range: TimeRange;
  overall: Figures;
  /** By the UTC day of each conversation's first turn, `YYYY-MM-DD`. */
  byDay: Record<string, Figures>;
  /** By the channel of each conversation's first turn. */
  byChannel: Record<string, Figures>;
  byLocale: Record<string, Figures>;
  /** By each conversation's first intent that is a reason to contact (see `ContactOptions`). */
  byIntent: Record<string, Figures>;
  /** Case figures of the cases routed to each queue (conversation figures are of those conversations). */
  byQueue: Record<string, Figures>;
}

const rate = (part: number, whole: number): number | null => (whole > 0 ? part / whole : null);
export const dayOf = (at: number): string => new Date(at).toISOString().slice(0, 10);

export function durationStats(values: readonly number[]): DurationStats {
  if (values.length === 0) return { count: 0, mean: null, p50: null, p90: null };
  const sorted = [...values].sort((a, b) => a - b);
  const rank = (p: number) => sorted[Math.max(0, Math.ceil(p * sorted.length) - 1)] ?? null;
  const mean = sorted.reduce((sum, v) => sum + v, 0) / sorted.length;
  return { count: sorted.length, mean, p50: rank(0.5), p90: rank(0.9) };
}

/** What a slice holds: its conversations' events in the period, their cases and their contacts. */
interface Slice {
  events: AnalyticsEvent[];
  cases: CaseTimeline[];
  contacts: Contact[];
}

function figuresOf(slice: Slice, asOf: number, options: MetricsOptions): Figures {
  const turns = slice.events.filter((e): e is TurnCompleted => e.type === 'turn.completed');
  const conversations = new Set(turns.map((t) => t.conversationId));
  const escalated = new Set(slice.cases.map((c) => c.opened.conversationId));
  const contained = [...conversations].filter((id) => !escalated.has(id)).length;
  const reasons = Object.fromEntries(ESCALATION_REASONS.map((r) => [r, 0])) as Record<
    EscalationReason,
    number
  >;
  for (const item of slice.cases) reasons[item.opened.reason] += 1;
  const botTurns = turns.filter((t) => !t.toAgent);
  const fallbacks = botTurns.filter((t) => t.fallback || t.outOfScope).length;
  const repeated = slice.events.filter((e) => e.type === 'info.repeated');
  const afterHandoff = repeated.filter((e) => e.type === 'info.repeated' && e.afterHandoff).length;
  const scores = slice.cases.flatMap((c) => c.scores);
  const due = slice.cases.filter(
    (c) => asOf - c.opened.at >= options.abandonAfterMs || c.claimedAt !== undefined,
  );
  const abandoned = due.filter(
    (c) => c.claimedAt === undefined || c.claimedAt - c.opened.at > options.abandonAfterMs,
  );
  const intentCount = (names: readonly string[]) =>
    turns.filter((t) => t.intent && names.includes(t.intent)).length;
  const contacts = slice.contacts.length;
  const repeat24 = slice.contacts.filter((c) => c.repeat24h).length;
  const repeat7 = slice.contacts.filter((c) => c.repeat7d).length;
  return {
    conversations: conversations.size,
    contained,
    containment: rate(contained, conversations.size),
    escalations: slice.cases.length,
    escalationRate: rate(conversations.size - contained, conversations.size),
    escalationReasons: reasons,
    botTurns: botTurns.length,
    fallbacks,
    outOfScope: botTurns.filter((t) => t.outOfScope).length,
    fallbackRate: rate(fallbacks, botTurns.length),
    contacts,
    repeatContacts24h: repeat24,
    repeatContacts7d: repeat7,
    repeatRate24h: rate(repeat24, contacts),
    repeatRate7d: rate(repeat7, contacts),
    repeatedInformation: repeated.length - afterHandoff,
    repeatedInformationAfterHandoff: afterHandoff,
    csatAnswers: scores.length,
    csat: scores.length ? scores.reduce((s, v) => s + v, 0) / scores.length : null,
    queueWait: durationStats(slice.cases.flatMap((c) => (c.waitMs !== undefined ? [c.waitMs] : []))),
    firstResponse: durationStats(
      slice.cases.flatMap((c) => (c.firstReplyAt !== undefined ? [c.firstReplyAt - c.opened.at] : [])),
    ),
    handleTime: durationStats(
      slice.cases.flatMap((c) =>
        c.claimedAt !== undefined && c.endedAt !== undefined ? [c.endedAt - c.claimedAt] : [],
      ),
    ),
    abandoned: abandoned.length,
    abandonmentRate: rate(abandoned.length, due.length),
    complaints: intentCount(options.complaintIntents),
    cancellations: intentCount(options.cancellationIntents),
  };
}

/**
 * Computes the report for `range` from analytics events. Pass events from 7 days before `range.from` (for
 * repeat contacts) up to now: only conversations whose first turn in the events falls in `range` are
 * counted, with everything that happened in them, however late (a case claimed after the period ended).
 */
export function computeReport(
  events: readonly AnalyticsEvent[],
  range: TimeRange,
  options: MetricsOptions = DEFAULT_METRICS_OPTIONS,
  asOf: number = Math.max(range.to, ...events.map((e) => e.at)),
): AnalyticsReport {
  const sorted = [...events].sort((a, b) => a.at - b.at);
  const turns = sorted.filter((e): e is TurnCompleted => e.type === 'turn.completed');
  const first = new Map<string, TurnCompleted>();
  for (const turn of turns) if (!first.has(turn.conversationId)) first.set(turn.conversationId, turn);
  const inRange = new Set(
    [...first.values()].filter((t) => t.at >= range.from && t.at < range.to).map((t) => t.conversationId),
  );
  const events$ = sorted.filter((e) => inRange.has(e.conversationId));
  const cases = [...caseTimelines(events$).values()];
  const contacts = findContacts(turns, options.contacts).filter(
    (c) => c.at >= range.from && c.at < range.to && inRange.has(c.conversationId),
  );
  const slice = (keep: (conversationId: string) => boolean, caseKeep = (_: CaseTimeline) => true): Slice => ({
    events: events$.filter((e) => keep(e.conversationId)),
    cases: cases.filter((c) => keep(c.opened.conversationId) && caseKeep(c)),
    contacts: contacts.filter((c) => keep(c.conversationId)),
  });
  const by = (keyOf: (conversationId: string) => string | undefined): Record<string, Figures> => {
    const keys = new Map<string, string>();
    for (const id of inRange) {
      const key = keyOf(id);
      if (key !== undefined) keys.set(id, key);
    }
    const result: Record<string, Figures> = {};
    for (const key of [...new Set(keys.values())].sort()) {
      result[key] = figuresOf(
        slice((id) => keys.get(id) === key),
        asOf,
        options,
      );
    }
    return result;
  };
  const ignored = new Set(options.contacts.ignoreIntents);
  const firstIntent = new Map<string, string>();
  for (const turn of turns) {
    if (turn.intent && !ignored.has(turn.intent) && !firstIntent.has(turn.conversationId)) {
      firstIntent.set(turn.conversationId, turn.intent);
    }
  }
  const byQueue: Record<string, Figures> = {};
  for (const queue of [...new Set(cases.map((c) => c.opened.queue))].sort()) {
    const ids = new Set(cases.filter((c) => c.opened.queue === queue).map((c) => c.opened.conversationId));
    byQueue[queue] = figuresOf(
      slice(
        (id) => ids.has(id),
        (c) => c.opened.queue === queue,
      ),
      asOf,
      options,
    );
  }
  return {
    range,
    overall: figuresOf(
      slice(() => true),
      asOf,
      options,
    ),
    byDay: by((id) => {
      const turn = first.get(id);
      return turn && dayOf(turn.at);
    }),
    byChannel: by((id) => first.get(id)?.channel),
    byLocale: by((id) => first.get(id)?.locale),
    byIntent: by((id) => firstIntent.get(id)),
    byQueue,
  };
}
