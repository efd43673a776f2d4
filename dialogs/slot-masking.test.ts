import type { DialogEvent } from '../core/dialog';
import { emptyState } from './state';
import { maskStep } from './slot-masking';

const masks = new Map([['account', { entity: 'account_number', keepLast: 2 }]]);

it('masks a value the flow filled and then cleared in the same step, wherever the step wrote it', () => {
  // A failed verification: the flow noted the number, then rejected the slot (it is gone from the state).
  const state = { ...emptyState(), log: ['Could not verify account 12345678'], slots: {} };
  const step = {
    state,
    replies: [
      { from: 'bot' as const, text: 'I could not verify 12345678.', speech: 'I could not verify 12345678' },
    ],
    events: <DialogEvent[]>[
      { event: 'slot.filled', data: { flow: 'balance', slot: 'account', value: 12345678 } },
      { event: 'slot.rejected', data: { flow: 'balance', slot: 'account', attempts: 1 } },
    ],
  };
  const entities = [{ entity: 'account_number', value: 12345678, text: '1234 5678', start: 0, end: 9 }];
  const pairs = maskStep(step, {}, entities, masks);
  expect(pairs).toEqual([
    { value: '1234 5678', masked: '•••• ••78' },
    { value: '12345678', masked: '••••••78' },
  ]);
  expect(step.state.log).toEqual(['Could not verify account ••••••78']);
  expect(step.replies[0]).toMatchObject({
    text: 'I could not verify ••••••78.',
    speech: 'I could not verify ••••••78',
  });
  expect(step.events[0]?.data).toEqual({ flow: 'balance', slot: 'account', value: '••••••78' });
});

it('leaves a value masked on an earlier turn, and unmasked slots, alone', () => {
  const state = { ...emptyState(), slots: { account: '••••••78', city: 'Leeds' } };
  const step = {
    state,
    replies: [{ from: 'bot' as const, text: 'Leeds it is.' }],
    events: <DialogEvent[]>[],
  };
  expect(maskStep(step, { account: '••••••78' }, [], masks)).toEqual([]);
  expect(step.state.slots).toEqual({ account: '••••••78', city: 'Leeds' });
  expect(step.replies[0]?.text).toBe('Leeds it is.');
});

it('masks a value newly held in the state, and the state keeps only the masked form', () => {
  const state = { ...emptyState(), slots: { account: '87654321' } };
  const step = { state, replies: [], events: <DialogEvent[]>[] };
  expect(maskStep(step, {}, [], masks)).toEqual([{ value: '87654321', masked: '••••••21' }]);
  expect(step.state.slots).toEqual({ account: '••••••21' });
});
