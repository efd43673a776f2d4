import { loadConfig } from '../../app/config';

describe('configuration of the stores’ limits', () => {
  it('reads the memory store’s ceiling on conversations, 50,000 by default', () => {
    expect(loadConfig({}).memoryMaxConversations).toBe(50_000);
    expect(loadConfig({ PARLEY_MEMORY_MAX_CONVERSATIONS: '1200' }).memoryMaxConversations).toBe(1200);
  });

  it('names a ceiling that is not a positive whole number', () => {
    expect(() => loadConfig({ PARLEY_MEMORY_MAX_CONVERSATIONS: '0' })).toThrow(
      /PARLEY_MEMORY_MAX_CONVERSATIONS/,
    );
    expect(() => loadConfig({ PARLEY_MEMORY_MAX_CONVERSATIONS: '2.5' })).toThrow(
      /PARLEY_MEMORY_MAX_CONVERSATIONS/,
    );
  });

  it('keeps dedupe records a day by default, never longer than the retention', () => {
    const hour = 3_600_000;
    expect(loadConfig({}).retention.dedupe).toBe(24 * hour);
    expect(loadConfig({ PARLEY_RETENTION_DEDUPE_DAYS: '0.25' }).retention.dedupe).toBe(6 * hour);
    const short = { PARLEY_RETENTION_DEDUPE_DAYS: '2', PARLEY_RETENTION_DAYS: '1' };
    expect(loadConfig(short).retention.dedupe).toBe(24 * hour);
    expect(() => loadConfig({ PARLEY_RETENTION_DEDUPE_DAYS: '-1' })).toThrow(/PARLEY_RETENTION_DEDUPE_DAYS/);
  });
});
