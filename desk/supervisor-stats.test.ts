import type { Case } from '../core/case';
import { frameworkMessages } from '../locales/load';
import { handBuiltStream } from '../test/support/analytics-stream';
import { parseDeskConfig } from './desk-config';
import { supervisorStats, type SupervisorStatsDeps } from './supervisor-stats';

const MIN = 60_000;
const DAY_ONE = Date.UTC(2026, 2, 2);
const config = parseDeskConfig({
  queues: [
    { id: 'general', label: 'General', slaMinutes: 5 },
    { id: 'retention', label: 'Retention', slaMinutes: 2 },
  ],
});

function item(id: string, queue: string, status: Case['status'], createdAt: number, owner?: string): Case {
  return {
    id,
    conversationId: `conv-${id}`,
    customerId: `cust-${id}`,
    channels: ['webchat'],
    queue,
    priority: 0,
    status,
    ...(owner ? { owner, claimedAt: createdAt + MIN } : {}),
    createdAt,
    updatedAt: createdAt,
    package: {
      version: 1,
      reason: 'customer_request',
      summary: { slots: {}, tried: [] },
      customer: { id: `cust-${id}`, identities: [{ channel: 'webchat', id: `user-${id}` }] },
      transcript: [{ at: createdAt, speaker: 'customer', channel: 'webchat', text: `help ${id}` }],
    },
  };
}

describe('supervisor figures', () => {
  const now = DAY_ONE + 20 * 60 * MIN; // 20:00 on day one
  const cases = [
    item('a', 'general', 'queued', now - 6 * MIN),
    item('b', 'general', 'queued', now - 1 * MIN),
    item('c', 'retention', 'queued', now - 3 * MIN),
    item('d', 'general', 'assigned', now - 30 * MIN, 'sam'),
  ];
  const deps: SupervisorStatsDeps = {
    cases: { list: async (filter) => cases.filter((c) => !filter?.status || c.status === filter.status) },
    config,
    agents: async () => [
      { username: 'sam', name: 'Sam' },
      { username: 'alex', name: 'Alex' },
    ],
    online: () => new Set(['sam']),
    analytics: {
      read: async (range) => handBuiltStream().filter((e) => e.at >= range.from && e.at < range.to),
    },
    view: { messages: frameworkMessages(), locale: 'en', config, agentName: () => undefined },
    startOfDay: () => DAY_ONE,
  };

  it('counts queues, waits and SLA breaches, agents online, and today from the analytics events', async () => {
    const stats = await supervisorStats(deps, now);
    expect(stats.queues).toEqual([
      expect.objectContaining({
        id: 'general',
        queued: 2,
        assigned: 1,
        longestWaitMs: 6 * MIN,
        averageWaitMs: 3.5 * MIN,
        breaches: 1,
      }),
      expect.objectContaining({
        id: 'retention',
        queued: 1,
        assigned: 0,
        longestWaitMs: 3 * MIN,
        breaches: 1,
      }),
    ]);
    expect(stats.breaches.map((b) => [b.caseId, b.title])).toEqual([
      ['a', 'webchat user-a · help a'],
      ['c', 'webchat user-c · help c'],
    ]);
    expect(stats.agents).toEqual([
      { username: 'sam', name: 'Sam', online: true, assigned: 1 },
      { username: 'alex', name: 'Alex', online: false, assigned: 0 },
    ]);
    // Day one of the hand-built stream: A contained; B (satisfied after hand-back) and C escalated.
    expect(stats.today).toEqual({
      from: DAY_ONE,
      conversations: 3,
      containment: 1 / 3,
      csat: 1,
      escalations: 2,
    });
  });

  it('has no figures for today without an analytics store', async () => {
    const { analytics: _none, ...withoutAnalytics } = deps;
    expect((await supervisorStats(withoutAnalytics, now)).today).toEqual({
      from: DAY_ONE,
      conversations: 0,
      containment: null,
      csat: null,
      escalations: 0,
    });
  });
});
