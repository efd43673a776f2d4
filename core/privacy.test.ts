import type { Case } from './case';
import {
  consentGate,
  ConsentRequiredError,
  ERASED,
  keyMentions,
  requireConsent,
  tombstoneOf,
  type ConsentRecord,
} from './privacy';

const ledger = (records: ConsentRecord[]) => ({
  history: async (id: string) => records.filter((r) => r.customerId === id),
});
const record = (granted: boolean, at: number): ConsentRecord => ({
  customerId: 'c1',
  purpose: 'analytics',
  granted,
  at,
  wordingVersion: 'ask.v1',
});

describe('requireConsent', () => {
  it('passes only while the latest answer for the purpose is yes', async () => {
    await expect(requireConsent(ledger([]), 'c1', 'analytics')).rejects.toBeInstanceOf(ConsentRequiredError);
    await expect(requireConsent(ledger([record(true, 1)]), 'c1', 'analytics')).resolves.toBeUndefined();
    await expect(requireConsent(ledger([record(true, 1)]), 'c1', 'marketing')).rejects.toThrow(/marketing/);
    await expect(
      requireConsent(ledger([record(true, 1), record(false, 2)]), 'c1', 'analytics'),
    ).rejects.toThrow();
    expect(await consentGate(ledger([record(false, 1), record(true, 2)]), 'analytics')('c1')).toBe(true);
    expect(await consentGate(ledger([]), 'analytics')('c1')).toBe(false);
  });
});

describe('keyMentions', () => {
  const scope = {
    customerId: 'sms:+1555',
    conversationIds: ['conv-1'],
    addresses: [{ channel: 'whatsapp', userId: 'whatsapp:+1666' }],
  };
  it.each([
    ['twilio:conversation:conv-1', true],
    ['opt-out:whatsapp:+1666', true],
    ['sms:+1555', true],
    ['twilio:conversation:conv-10', false],
    ['bf-ref:other', false],
  ])('%s → %s', (key, expected) => {
    expect(keyMentions(key, scope)).toBe(expected);
  });
});

it('a tombstone keeps queue statistics and nothing personal', () => {
  const item: Case = {
    id: 'case-1',
    conversationId: 'sms:+1555',
    customerId: 'sms:+1555',
    channels: ['sms'],
    queue: 'billing',
    priority: 2,
    status: 'assigned',
    owner: 'sam',
    createdAt: 10,
    updatedAt: 20,
    package: {
      version: 1,
      reason: 'complaint',
      detail: 'customer +1555 is angry',
      summary: { slots: { phone: '+1555' }, tried: ['x'], sentiment: -1 },
      customer: { id: 'sms:+1555', identities: [{ channel: 'sms', id: '+1555' }] },
      transcript: [{ at: 1, speaker: 'customer', channel: 'sms', text: 'I am +1555' }],
    },
  };
  const tombstone = tombstoneOf(item, 99);
  expect(tombstone).toMatchObject({
    id: 'case-1',
    queue: 'billing',
    priority: 2,
    status: 'closed',
    createdAt: 10,
    erasedAt: 99,
  });
  expect(tombstone.customerId).toBe(ERASED);
  expect(JSON.stringify(tombstone)).not.toContain('1555');
  expect(JSON.stringify(tombstone)).not.toContain('sam');
});
