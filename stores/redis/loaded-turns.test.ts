import { LoadedTurns } from './loaded-turns';

describe('what a turn loaded with its lock', () => {
  it('hands the state and the dedupe record out once each', () => {
    const loaded = new LoadedTurns();
    loaded.set('c1', { state: '{"a":1}', seen: { dedupeId: 'rest:m1', replies: null } });
    expect(loaded.takeSeen('c1', 'rest:other')).toBeUndefined();
    expect(loaded.takeSeen('c1', 'rest:m1')).toBeNull();
    expect(loaded.takeSeen('c1', 'rest:m1')).toBeUndefined();
    expect(loaded.takeState('c1')).toBe('{"a":1}');
    expect(loaded.takeState('c1')).toBeUndefined();
    expect(loaded.takeState('c2')).toBeUndefined();
  });

  it('tells "nothing stored" (null) from "nothing loaded" (undefined)', () => {
    const loaded = new LoadedTurns();
    loaded.set('c1', { state: null });
    expect(loaded.takeState('c1')).toBeNull();
  });

  it('forgets the state once this process wrote it, and everything at the end of the turn', () => {
    const loaded = new LoadedTurns();
    loaded.set('c1', { state: '{}', seen: { dedupeId: 'm', replies: '[]' } });
    loaded.dropState('c1');
    expect(loaded.takeState('c1')).toBeUndefined();
    expect(loaded.takeSeen('c1', 'm')).toBe('[]');
    loaded.set('c2', { state: '{}' });
    loaded.drop('c2');
    expect(loaded.takeState('c2')).toBeUndefined();
  });
});
