import type { AnalyticsEvent, CaseOpened } from '../core/analytics';

/** One case's life as the events tell it. */
export interface CaseTimeline {
  opened: CaseOpened;
  claimedAt?: number;
  waitMs?: number;
  firstReplyAt?: number;
  endedAt?: number;
  ending?: 'case.resolved' | 'case.closed';
  /** Satisfaction scores answered after the case was handed back. */
  scores: number[];
}

/** Rebuilds every case opened in `events` from its events (later events of unknown cases are ignored). */
export function caseTimelines(events: readonly AnalyticsEvent[]): Map<string, CaseTimeline> {
  const cases = new Map<string, CaseTimeline>();
  for (const event of events) {
    if (event.type === 'case.opened') {
      cases.set(event.caseId, { opened: event, scores: [] });
      continue;
    }
    if (!('caseId' in event) || event.caseId === undefined) continue;
    const item = cases.get(event.caseId);
    if (!item) continue;
    switch (event.type) {
      case 'case.claimed':
        item.claimedAt ??= event.at;
        item.waitMs ??= event.waitMs;
        break;
      case 'agent.replied':
        item.firstReplyAt ??= event.at;
        break;
      case 'case.resolved':
      case 'case.closed':
        item.endedAt ??= event.at;
        item.ending ??= event.type;
        break;
      case 'satisfaction':
        item.scores.push(event.score);
        break;
    }
  }
  return cases;
}
