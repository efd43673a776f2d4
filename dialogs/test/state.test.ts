import { sealJson, type JsonObject } from '../../core/json';
import { emptyState, readState, toJson } from '../state';

describe('persisted dialog state', () => {
  const state = {
    ...emptyState(),
    stack: [{ flow: 'visit', state: 'ask_date', results: {}, attempts: { date: 1 } }],
    slots: { date: '2025-06-05' },
    pending: undefined,
    log: ['asked for a visit'],
  };

  it('seals what it persists: plain JSON, frozen, read back as a fresh working copy', () => {
    const persisted = toJson(state);
    expect(persisted).toEqual(JSON.parse(JSON.stringify(state)));
    expect(Object.keys(persisted)).not.toContain('pending');
    expect(Object.isFrozen(persisted.stack)).toBe(true);
    const { state: working, reset } = readState(persisted);
    expect(reset).toBe(false);
    expect(working).toEqual(persisted);
    working.stack[0].attempts.date = 2;
    working.log.push('more');
    expect(persisted).toEqual(JSON.parse(JSON.stringify(state)));
  });

  it('checks state from outside the process against the schema, and starts afresh when it fails', () => {
    const fromRedis = JSON.parse(JSON.stringify(toJson(state))) as JsonObject;
    expect(readState(fromRedis)).toEqual({ state: toJson(state), reset: false });
    expect(readState({ ...fromRedis, v: 2 })).toEqual({ state: emptyState(), reset: true });
    expect(readState({ ...fromRedis, stack: 'nonsense' })).toEqual({ state: emptyState(), reset: true });
  });

  it('trusts only what it sealed itself: a sealed value skips the schema, an equal unsealed one does not', () => {
    // Only this process can seal; an invalid sealed value can only come from a bug here, and shows the skip.
    const odd = { ...toJson(state), v: 2 };
    expect(readState(sealJson(odd)).reset).toBe(false);
    expect(readState(odd).reset).toBe(true);
  });

  it("never edits the caller's value, even when it came in unsealed", () => {
    const fromRedis = JSON.parse(JSON.stringify(toJson(state))) as JsonObject;
    const before = JSON.stringify(fromRedis);
    const { state: working } = readState(fromRedis);
    working.stack[0].attempts.date = 5;
    working.slots.extra = 'x';
    expect(JSON.stringify(fromRedis)).toBe(before);
  });
});
