import type { AnalyticsEvent } from '../core/analytics';
import type { Case } from '../core/case';
import { createMemoryStores } from '../stores/memory';
import { silentLogger } from '../stores/silent-logger';
import { createCaseService, CaseConflictError } from './case-service';
import type { Delivery, Line } from './delivery';

const MIN = 60_000;
const sam = { username: 'sam', name: 'Sam' };
const sue = { username: 'sue', name: 'Sue', roles: ['supervisor' as const] };

function setUp() {
  let now = 1_000_000;
  const stores = createMemoryStores({ retentionMs: 3_600_000 });
  const recorded: { conversationId: string; lines: Line[]; toCustomer: boolean }[] = [];
  const write = (conversationId: string, lines: Line[], toCustomer: boolean) => {
    recorded.push({ conversationId, lines, toCustomer });
    return Promise.resolve(lines.map((line) => ({ at: now, channel: 'webchat', ...line })));
  };
  const delivery: Delivery = {
    deliver: (conversationId, _reply, lines = []) => write(conversationId, lines, true),
    record: (conversationId, lines) => write(conversationId, lines, false),
    handBack: (conversationId, input) => write(conversationId, input.lines ?? [], true),
    release: (conversationId, _caseId, _reply, lines = []) => write(conversationId, lines, true),
  };
  const events: AnalyticsEvent[] = [];
  const cases = createCaseService({
    stores,
    delivery,
    clock: { now: () => now },
    logger: silentLogger,
    analytics: { emit: async (...e) => void events.push(...e), question: async () => undefined },
  });
  const item: Case = {
    id: 'c1',
    conversationId: 'conv1',
    customerId: 'cust1',
    channels: ['webchat'],
    queue: 'general',
    priority: 0,
    status: 'queued',
    createdAt: now,
    updatedAt: now,
    package: {
      version: 1,
      reason: 'customer_request',
      summary: { slots: {}, tried: [] },
      customer: { id: 'cust1', identities: [] },
      transcript: [],
    },
  };
  return { stores, cases, recorded, events, item, advance: (ms: number) => (now += ms) };
}

describe('assigning and transferring cases', () => {
  it('a supervisor assigns a queued case: the agent owns it, the customer is told, the wait is counted', async () => {
    const { stores, cases, recorded, events, item, advance } = setUp();
    await stores.cases.create(item);
    advance(4 * MIN);
    const assigned = await cases.assign('c1', sue, sam, 'VIP customer');
    expect(assigned).toMatchObject({ status: 'assigned', owner: 'sam', claimedAt: item.createdAt + 4 * MIN });
    expect(recorded).toEqual([
      {
        conversationId: 'conv1',
        toCustomer: true,
        lines: [
          expect.objectContaining({
            event: 'case.assigned',
            agent: 'Sue',
            data: expect.objectContaining({ toName: 'Sam' }),
          }),
          { speaker: 'agent', event: 'case.note', text: 'VIP customer', agent: 'Sue' },
        ],
      },
    ]);
    expect(events).toEqual([
      expect.objectContaining({ type: 'case.claimed', agent: 'sam', waitMs: 4 * MIN }),
    ]);
    await expect(cases.assign('c1', sue, sam)).rejects.toThrow(CaseConflictError);
  });

  it('a transfer to a queue puts the case back unowned, and the next wait starts then', async () => {
    const { stores, cases, recorded, events, item, advance } = setUp();
    await stores.cases.create(item);
    await cases.claim('c1', sam);
    advance(10 * MIN);
    const moved = await cases.transfer('c1', sam, { id: 'billing', label: 'Billing' });
    expect(moved).toMatchObject({ status: 'queued', queue: 'billing', queuedAt: item.createdAt + 10 * MIN });
    expect(moved).not.toHaveProperty('owner');
    expect(moved).not.toHaveProperty('claimedAt');
    expect(recorded.at(-1)).toMatchObject({ toCustomer: false, lines: [{ event: 'case.transferred' }] });
    expect(events.at(-1)).toMatchObject({
      type: 'case.transferred',
      caseId: 'c1',
      queue: 'general',
      agent: 'sam',
      to: { kind: 'queue', id: 'billing' },
    });
    advance(2 * MIN);
    await cases.assign('c1', sue, sam);
    expect(events.filter((e) => e.type === 'case.claimed').at(-1)).toMatchObject({ waitMs: 2 * MIN });
    const kim = { username: 'kim', name: 'Kim' };
    await cases.assign('c1', sue, kim, 'Kim knows broadband');
    expect(events.at(-1)).toMatchObject({
      type: 'case.transferred',
      queue: 'billing',
      agent: 'sue',
      to: { kind: 'agent', id: 'kim' },
    });
    expect(events.filter((e) => e.type === 'case.claimed')).toHaveLength(2);
    await cases.resolve('c1', kim, { handBack: false });
    await expect(cases.transfer('c1', sam, { id: 'general', label: 'General' })).rejects.toThrow(
      /case is closed/,
    );
  });
});
