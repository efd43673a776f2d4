import type { TranscriptEntry } from '../core/transcript';
import { MemoryTranscriptStore } from './memory.transcript-store';
import { seenLines } from './seen-lines';

const line = (entry: Omit<TranscriptEntry, 'at' | 'channel'>): TranscriptEntry => ({
  at: 1,
  channel: 'webchat',
  ...entry,
});

describe('seenLines', () => {
  it('keeps what the customer said and was told; drops events, notes and launches', async () => {
    const store = new MemoryTranscriptStore(60_000, { now: () => 0 });
    await store.append('c', [
      line({ speaker: 'customer', event: 'launch' }),
      line({ speaker: 'bot', text: 'Hi, how can I help?' }),
      line({ speaker: 'customer', text: '/order_status', data: { label: 'Track my order' } }),
      line({ speaker: 'system', event: 'flow.started', data: { flow: 'order_status' } }),
      line({ speaker: 'system', text: "You're now chatting with Sam from Acme." }),
      line({ speaker: 'agent', text: 'Hi, Sam here.', agent: 'Sam' }),
      line({ speaker: 'agent', event: 'case.note', text: 'offer a voucher', agent: 'Sam' }),
    ]);
    expect(await seenLines(store, 'c')).toEqual([
      { speaker: 'bot', text: 'Hi, how can I help?' },
      { speaker: 'customer', text: 'Track my order' },
      { speaker: 'system', text: "You're now chatting with Sam from Acme." },
      { speaker: 'agent', text: 'Hi, Sam here.', agentName: 'Sam' },
    ]);
  });

  it('returns only the most recent lines, oldest first', async () => {
    const store = new MemoryTranscriptStore(60_000, { now: () => 0 });
    await store.append(
      'c',
      Array.from({ length: 30 }, (_, i) => line({ speaker: 'bot', text: `line ${i}` })),
    );
    expect((await seenLines(store, 'c', 3)).map((l) => l.text)).toEqual(['line 27', 'line 28', 'line 29']);
  });
});
