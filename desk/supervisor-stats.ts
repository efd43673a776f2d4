import type { Agent } from '../core/case';
import type { AnalyticsStore } from '../core/analytics';
import type { CaseStore } from '../core/ports';
import { computeReport } from '../analytics/metrics';
import type { DeskConfig } from './desk-config';
import type { CaseViewContext } from './case-view';
import { caseView } from './case-view';
import type { SupervisorStats } from './desk.views';

export interface SupervisorStatsDeps {
  cases: Pick<CaseStore, 'list'>;
  config: DeskConfig;
  agents: () => Promise<Agent[]>;
  online: () => Set<string>;
  /** Today's containment and CSAT come from here; `null` figures without it. */
  analytics?: Pick<AnalyticsStore, 'read'>;
  view: Omit<CaseViewContext, 'now'>;
  /** Local midnight before `now` (injected so tests pin the day). */
  startOfDay: (now: number) => number;
}

export const localMidnight = (now: number): number => {
  const day = new Date(now);
  day.setHours(0, 0, 0, 0);
  return day.getTime();
};

const mean = (values: number[]) => (values.length ? values.reduce((a, b) => a + b, 0) / values.length : 0);

async function today(deps: SupervisorStatsDeps, now: number): Promise<SupervisorStats['today']> {
  const from = deps.startOfDay(now);
  if (!deps.analytics) return { from, conversations: 0, containment: null, csat: null, escalations: 0 };
  const range = { from, to: now + 1 };
  const { overall } = computeReport(await deps.analytics.read(range), range);
  return {
    from,
    conversations: overall.conversations,
    containment: overall.containment,
    csat: overall.csat,
    escalations: overall.escalations,
  };
}

/**
 * The supervisor's live figures: per queue the cases waiting and being worked, the longest and average
 * wait and SLA breaches; agents online and what they own; today's containment and CSAT.
 */
export async function supervisorStats(deps: SupervisorStatsDeps, now: number): Promise<SupervisorStats> {
  const open = [
    ...(await deps.cases.list({ status: 'queued' })),
    ...(await deps.cases.list({ status: 'assigned' })),
  ];
  const context = { ...deps.view, now };
  const views = open.map((item) => caseView(item, context));
  const queueIds = [...new Set([...deps.config.queues.map((q) => q.id), ...open.map((c) => c.queue)])];
  const queues = queueIds.map((id) => {
    const config = deps.config.queues.find((q) => q.id === id);
    const slaMs = config?.slaMs ?? Number.POSITIVE_INFINITY;
    const waiting = views.filter((v) => v.queue.code === id && v.status === 'queued');
    const waits = waiting.map((v) => v.waitMs);
    return {
      id,
      label: config?.label ?? id,
      slaMs: config?.slaMs ?? 0,
      queued: waiting.length,
      assigned: views.filter((v) => v.queue.code === id && v.status === 'assigned').length,
      longestWaitMs: Math.max(0, ...waits),
      averageWaitMs: Math.round(mean(waits)),
      breaches: waits.filter((w) => w > slaMs).length,
    };
  });
  const online = deps.online();
  const agents = (await deps.agents()).map((agent) => ({
    username: agent.username,
    name: agent.name,
    online: online.has(agent.username),
    assigned: open.filter((c) => c.status === 'assigned' && c.owner === agent.username).length,
  }));
  const breaches = views
    .filter((v) => v.status === 'queued' && v.sla?.breached)
    .map((v) => ({
      caseId: v.id,
      title: v.title,
      queue: v.queue.code,
      waitMs: v.waitMs,
      slaMs: v.sla?.targetMs ?? 0,
    }))
    .sort((a, b) => b.waitMs - a.waitMs);
  return { at: now, queues, agents, breaches, today: await today(deps, now) };
}
